/** Onboarding's store: the key ring, sealed account tokens and accounts connected outside YAML. */
export * from './account-store.js'
export * from './keyring.js'
export * from './token-crypto.js'
export * from './token-store.js'
