import { expect } from 'vitest'
import { PlatformError } from '../../src/errors.js'

/** Awaits a promise that must reject with an error of `kind`, and returns that error. */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  kind: abstract new (...args: never[]) => E,
): Promise<E> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(kind)
  return err as E
}

/** Awaits a promise that must reject with a PlatformError, and returns that error. */
export function platformFailure(promise: Promise<unknown>): Promise<PlatformError> {
  return rejectionOf(promise, PlatformError)
}
