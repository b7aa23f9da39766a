/**
 * npm run build:css: compiles src/web/styles/wardguard.scss (GOV.UK and MOJ Frontend) into
 * src/web/assets/wardguard.css, which is committed so the service needs no Sass at run time.
 */
import { writeFileSync } from 'node:fs'
import { compileStyles, STYLESHEET_FILE } from './lib/styles.js'

writeFileSync(STYLESHEET_FILE, compileStyles())
console.log(`wrote ${STYLESHEET_FILE}`)
