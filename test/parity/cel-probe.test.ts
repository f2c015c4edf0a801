import { it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { compileClaimsExpression, compileUserExpression } from '../../src/cel/compile.js'
import { toClaimsActivation, toUserActivation } from '../../src/cel/activation.js'
it('probe', () => {
  const lines = readFileSync('/tmp/probe/exprs.txt', 'utf8').split('\n').filter((l) => l.trim() !== '')
  const out: string[] = []
  for (const e of lines) {
    const [kind, src] = e.startsWith('u:') ? ['u', e.slice(2)] : ['c', e]
    const r = kind === 'u' ? compileUserExpression(src) : compileClaimsExpression(src)
    if (!r.ok) { out.push(`${src} => COMPILE ${r.message}`); continue }
    try {
      const v = kind === 'u'
        ? (r.compiled.evaluate as (a: unknown) => unknown)(toUserActivation({ username: 'bob', uid: '1', groups: ['g'] }))
        : (r.compiled.evaluate as (a: unknown) => unknown)(toClaimsActivation({ foo: 'bar', n: 3, l: ['a', 'b'] }))
      out.push(`${src} => ${r.compiled.staticType} ${typeof v === 'bigint' ? `${v}n` : JSON.stringify(v, (_k, x) => typeof x === 'bigint' ? `${x}n` : x)}`)
    } catch (err) { out.push(`${src} => EVAL ERR ${(err as Error).message}`) }
  }
  console.log(out.join('\n'))
})
