// The load generator for npm run bench: wrk where installed (one thread, so that it takes at most one
// core, whatever the server needs), autocannon otherwise. Either way each row says whether anything
// else kept the machine busy while it ran (/proc/stat against the CPU time of the server and the
// load generator themselves).
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'

const WRK = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
    return true
  }
  catch (error) {
    // wrk prints its version and exits 1.
    return error.status === 1
  }
})()
export const LOAD_GENERATOR = WRK ? 'wrk (1 thread)' : 'autocannon (in the bench process)'

const LUA = `
local items = {}
local file = os.getenv('BENCH_ITEMS')
if file and file ~= '' then for line in io.lines(file) do items[#items + 1] = line end end
local extra = {}
for name, value in string.gmatch(os.getenv('BENCH_HEADERS') or '', '([^\\n:]+): ([^\\n]*)') do extra[name] = value end
local mode = os.getenv('BENCH_MODE')
wrk.method = os.getenv('BENCH_METHOD')
local i = 0
request = function()
  local headers = {}
  for name, value in pairs(extra) do headers[name] = value end
  local body = nil
  if #items > 0 then
    i = i + 1
    local item = items[((i - 1) % #items) + 1]
    if mode == 'body' then
      body = item
      headers['Content-Type'] = 'application/json'
    else
      headers['Authorization'] = item
    end
  end
  return wrk.format(nil, nil, headers, body)
end
`
const scratch = mkdtempSync(join(tmpdir(), 'auth-bench-load-'))
const luaPath = join(scratch, 'request.lua')
writeFileSync(luaPath, LUA)

/** Jiffies the whole machine spent busy so far. */
function machineBusy() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number)
  const [user, nice, system, , , irq, softirq, steal] = fields
  return user + nice + system + irq + softirq + steal
}

/**
 * Jiffies a process and its live children (cluster workers) spent so far, and the database
 * server's processes (PostgreSQL's work for the server is part of the row, not "other").
 */
function processBusy(pid) {
  let total = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(entry) === pid || Number(fields[1]) === pid || command === 'postgres') total += Number(fields[11]) + Number(fields[12])
    }
    catch {
      // The process ended meanwhile.
    }
  }
  return total
}

/**
 * Loads `url` for `duration` seconds with `connections` connections.
 * `items`: one Authorization header value or one JSON body per request (`mode`), each used once
 * while they last. Returns req/s, p50/p99 ms, errors (non-2xx, socket errors) and `busyOther`, the
 * share of a core that other processes used meanwhile.
 */
export async function load(url, { serverPid, method = 'GET', headers = {}, items, mode = 'authorization', duration, connections }) {
  const machineBefore = machineBusy()
  const serverBefore = processBusy(serverPid)
  const started = process.hrtime.bigint()
  const cpuBefore = process.cpuUsage()
  let result
  let generatorJiffies = 0
  if (WRK) {
    const itemsPath = items ? join(scratch, 'items.txt') : undefined
    if (itemsPath) writeFileSync(itemsPath, `${items.join('\n')}\n`)
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', '-s', luaPath, url], {
      env: { ...process.env, BENCH_ITEMS: itemsPath ?? '', BENCH_MODE: mode, BENCH_METHOD: method, BENCH_HEADERS: Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\n') },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    const sample = setInterval(() => {
      generatorJiffies = Math.max(generatorJiffies, processBusy(child.pid))
    }, 250)
    await new Promise(done => child.on('exit', done))
    clearInterval(sample)
    result = parseWrk(output)
  }
  else {
    const bodies = items && mode === 'body' ? items : null
    let next = 0
    const requests = items
      ? [{ setupRequest: request => ({ ...request, ...(bodies ? { headers: { ...headers, 'content-type': 'application/json' }, body: items[next++ % items.length] } : { headers: { ...headers, authorization: items[next++ % items.length] } }) }) }]
      : undefined
    const raw = await new Promise((done, fail) => autocannon({ url, method, headers, connections, duration, requests }, (error, output) => error ? fail(error) : done(output)))
    result = { rps: Math.round(raw.requests.average), p50: raw.latency.p50, p99: raw.latency.p99, errors: raw.errors + raw.non2xx }
    const cpu = process.cpuUsage(cpuBefore)
    generatorJiffies = (cpu.user + cpu.system) / 10_000
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const machine = machineBusy() - machineBefore
  const ours = processBusy(serverPid) - serverBefore + generatorJiffies
  return { ...result, busyOther: Math.max(0, (machine - ours) / 100 / seconds) }
}

function parseWrk(output) {
  const toMs = (value, unit) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? 1)
  const percentile = (p) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output)
    return match ? Number(toMs(match[1], match[2]).toFixed(2)) : null
  }
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0
  return { rps: Math.round(rps), p50: percentile(50), p99: percentile(99), errors: non2xx + socketErrors }
}
