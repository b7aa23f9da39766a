#!/usr/bin/env node
// @NOTE runs the TypeScript sources through tsx so `npx wardguard` works straight after `npm ci`
// with no build step; the Docker image runs the compiled dist/ instead.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
