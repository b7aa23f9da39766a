/** The moderation engine's public API. */
export {
  createHttpClassifier,
  type ExternalClassifier,
  type ExternalVerdict,
  moderateWithExternal,
} from './external.js'
export { findHits, moderate } from './moderate.js'
export {
  DEFAULT_POLICY_PATH,
  loadPolicy,
  type Policy,
  PolicyOverridesSchema,
  type Settings,
  withOverrides,
} from './policy.js'
export type { PolicyOverrides } from './policy-schema.js'
export {
  ACTIONS,
  CATEGORIES,
  type Category,
  type Decision,
  type ModerationAction,
  type ModerationInput,
  type Reason,
} from './types.js'
