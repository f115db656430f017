import { readFileSync } from 'node:fs'
import semver from 'semver'
import { describe, expect, it } from 'vitest'

const read = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }, devDependencies: Record<string, string> }

/** The majors a range like `^20.19 || ^22.13 || ^24` names; anything open-ended is refused. */
function majorsOf(range: string): number[] {
  return range.split('||').map((part) => {
    const caret = /^\^(\d+)(\.\d+){0,2}$/.exec(part.trim())
    expect(caret, `"${part.trim()}" in engines is not a caret range on one major (untested majors would pass)`).not.toBeNull()
    return Number(caret![1])
  })
}

describe('the Node majors we promise are the ones CI tests and the image runs', () => {
  const engines = majorsOf(pkg.engines.node)
  const ci = read('.ci/run')

  it('engines names Node 20, 22 and 24, each from its minimum minor', () => {
    expect(engines).toEqual([20, 22, 24])
  })

  it('Node 20 goes by the date deployment.md gives for it', () => {
    // Past it, this fails until Node 20 leaves engines, CI and the docs (and the held-back dependencies move).
    expect(read('docs/deployment.md')).toContain('until 30 April 2027')
    if (Date.now() >= Date.UTC(2027, 4, 1)) expect(engines, 'Node 20\'s support ended on 30 April 2027').not.toContain(20)
  })

  it('CI runs the primary (24) and every other major engines names', () => {
    const primary = Number(/^primary=(\d+)$/m.exec(ci)?.[1])
    const others = /^others="([\d ]+)"/m.exec(ci)?.[1].split(' ').map(Number) ?? []
    expect(primary).toBe(24)
    expect([primary, ...others].sort((a, b) => a - b)).toEqual(engines)
  })

  it('.nvmrc (nvm, fnm) picks the primary major', () => {
    expect(read('.nvmrc').trim()).toBe('24')
  })

  it('both Dockerfile stages run the primary major', () => {
    const from = [...read('Dockerfile').matchAll(/^FROM node:(\d+)-/gm)].map(match => Number(match[1]))
    expect(from).toEqual([24, 24])
  })

  it('@types/node describes the oldest supported major (no API newer than every runtime)', () => {
    expect(/^\^(\d+)\./.exec(pkg.devDependencies['@types/node'])?.[1]).toBe(String(Math.min(...engines)))
  })

  it('every locked package, dev ones too, supports the oldest patch of each major, and its npm', () => {
    // engine-strict turns any gap into a failed install on that Node; CI installs only each major's newest.
    // Node 20.19.0 came with npm 10.8.2, the oldest npm a supported Node brings.
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string, engines?: Record<string, string> | string[] }> }
    const oldest = pkg.engines.node.split('||').map(part => semver.minVersion(part.trim())!.version)
    const unsupported = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const engines = !path || Array.isArray(entry.engines) ? {} : entry.engines ?? {}
      const refused = [
        ...(engines.node ? oldest.filter(version => !semver.satisfies(version, engines.node!)) : []),
        ...(engines.npm && !semver.satisfies('10.8.2', engines.npm) ? ['npm 10.8.2'] : []),
      ]
      return refused.length ? [`${path}@${entry.version} needs ${JSON.stringify(engines)}, refuses ${refused.join(', ')}`] : []
    })
    expect(oldest).toEqual(['20.19.0', '22.13.0', '24.0.0'])
    expect(unsupported).toEqual([])
  })

  it('npm refuses a Node engines does not name (engine-strict)', () => {
    expect(read('.npmrc')).toMatch(/^engine-strict=true$/m)
  })
})
