/** The one escaping path (`html`) and redaction, without a database. */
import { beforeAll, describe, expect, it } from 'vitest'
import { html, loadEscaper, SafeHtml } from '../../src/runtime/dashboard/html.js'
import { readHandler, redactError, toRedactSet } from '../../src/runtime/dashboard/redact.js'

beforeAll(async () => {
  await loadEscaper()
})

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const value = `"><script>alert('x')</script>&`
    expect(html`<a title="${value}">${value}</a>`.markup).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>',
    )
  })

  it('passes markup made by html as is, joins arrays, and shows null, undefined and false as nothing', () => {
    const inner = html`<b>${'<i>'}</b>`
    expect(html`<p>${inner}${[html`<br>`, '<br>']}${null}${undefined}${false}${0}</p>`.markup).toBe('<p><b>&lt;i&gt;</b><br>&lt;br&gt;0</p>')
    expect(inner).toBeInstanceOf(SafeHtml)
  })
})

describe('readHandler', () => {
  it('hides redacted keys at any depth and in any case, and nothing else', () => {
    const stored = JSON.stringify({ name: 'SignupJob', path: 'x', args: [{ user: { Password: 'p', name: 'Ann' }, tokens: [{ token: 't' }] }, 'password'] })
    expect(readHandler(stored, toRedactSet(['password', 'TOKEN']))).toEqual({
      name: 'SignupJob',
      args: [{ user: { Password: '[redacted]', name: 'Ann' }, tokens: [{ token: '[redacted]' }] }, 'password'],
      parsed: true,
      hidden: ['p', 't'],
    })
  })

  it('hides in the job\'s error the values its redacted keys held (4 characters or more, longest first), and nothing else', () => {
    const shown = readHandler(JSON.stringify({ name: 'A', args: [{ password: 'hunter2', pin: 42, token: { value: 'tok-123', more: 'tok-1234' } }] }), toRedactSet(['password', 'pin', 'token']))
    expect(shown.hidden).toEqual(['hunter2', '42', 'tok-123', 'tok-1234'])
    expect(redactError('Error: hunter2 refused (tok-1234, pin 42)\n    at line 42', shown)).toBe('Error: [redacted] refused ([redacted], pin 42)\n    at line 42')
    expect(redactError(null, shown)).toBeNull()
    expect(redactError('Error: hunter2', readHandler(JSON.stringify({ name: 'A', args: ['hunter2'] }), toRedactSet(['password'])))).toBe('Error: hunter2')
  })

  it('attack: hides a redacted value in the error also as JSON writes it (an error quoting the request body or the arguments)', () => {
    const secret = 'p@ss"word\\with\nnewline'
    const shown = readHandler(JSON.stringify({ name: 'A', args: [{ password: secret }] }), toRedactSet(['password']))
    const error = `Error: login refused, body ${JSON.stringify({ user: 'ann', password: secret })}`
    const redacted = redactError(error, shown)
    expect(redacted).not.toContain(JSON.stringify(secret).slice(1, -1))
    expect(redacted).toBe('Error: login refused, body {"user":"ann","password":"[redacted]"}')
  })

  it('hides a handler that is not JSON whole when anything is redacted, and shows it as text otherwise', () => {
    expect(readHandler('{"name":"A","args":["secret"', toRedactSet(['password']))).toMatchObject({ args: '[redacted]', parsed: false })
    expect(readHandler('not json', toRedactSet([]))).toMatchObject({ args: 'not json', parsed: false })
  })
})
