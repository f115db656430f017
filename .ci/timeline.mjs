// Passes a test run's output through unchanged and notes, for each `npm run` script it sees start
// (npm's "> name@version script" banner), how long it took and how many tests passed (Vitest's
// "Tests  N passed", Playwright's "N passed (…)"). At the end it appends one line per script to the
// summary file, so CI can print every Node major's stages side by side.
//
// Usage: <command> 2>&1 | node .ci/timeline.mjs "<label>" <summary file>
import { appendFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

const [label = 'run', summaryFile] = process.argv.slice(2)
// eslint-disable-next-line no-control-regex -- colour codes begin with ESC
const ansi = /\u001B\[[0-9;]*m/g
const banner = /^> \S+@\S+ (\S+)$/
// Vitest: "Tests  216 passed (216)" or "Tests  1 failed | 215 passed (216)".
const vitestTotals = /^\s*Tests\s+(.*)$/
// Playwright: "46 passed (1.9m)", and "2 failed" on a line of its own.
const playwrightPassed = /^\s*(\d+) passed \(/
const playwrightFailed = /^\s*(\d+) failed$/
const count = (text, word) => Number(new RegExp(`(\\d+) ${word}`).exec(text)?.[1] ?? 0)

const stages = []
let current

function finish(at) {
  if (current) current.seconds = Math.round((at - current.startedAt) / 1000)
}

for await (const raw of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  console.log(raw)
  const line = raw.replace(ansi, '')
  const started = banner.exec(line)
  if (started) {
    finish(Date.now())
    current = { name: started[1], startedAt: Date.now(), passed: 0, failed: 0 }
    stages.push(current)
    continue
  }
  if (!current) continue
  const vitest = vitestTotals.exec(line)
  if (vitest) {
    current.passed += count(vitest[1], 'passed')
    current.failed += count(vitest[1], 'failed')
    continue
  }
  current.passed += Number(playwrightPassed.exec(line)?.[1] ?? 0)
  current.failed += Number(playwrightFailed.exec(line)?.[1] ?? 0)
}
finish(Date.now())

// A script that only runs others (`test`) ends as soon as its first one starts.
const described = stages.filter(stage => stage.seconds > 0 || stage.passed || stage.failed).map((stage) => {
  const tests = stage.passed || stage.failed ? ` (${stage.passed} passed${stage.failed ? `, ${stage.failed} FAILED` : ''})` : ''
  return `${stage.name} ${stage.seconds} s${tests}`
})
const line = `${label}: ${described.join(' · ') || 'no npm script ran'}`
if (summaryFile) appendFileSync(summaryFile, `${line}\n`)
