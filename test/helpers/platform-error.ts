import { expect } from 'vitest'
import { PlatformError } from '../../src/errors.js'

/** Awaits a promise that must reject with a PlatformError, and returns that error. */
export async function platformFailure(promise: Promise<unknown>): Promise<PlatformError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(PlatformError)
  return err as PlatformError
}
