import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ChatTemplate, strftime } from '../../../src/engine/chatTemplate';

describe('chat template rendering', () => {
  const at = new Date(2026, 11, 5, 14, 7, 9); // Saturday 5 December 2026, 14:07:09 local time

  it("strftime writes Python's C-locale directives", () => {
    assert.equal(strftime(at, '%d %b %Y'), '05 Dec 2026');
    assert.equal(strftime(at, '%A %a %B %m/%d/%y %H:%M:%S %I%p day %j %%'), 'Saturday Sat December 12/05/26 14:07:09 02PM day 339 %');
    assert.equal(strftime(at, '%Q stays'), '%Q stays');
  });

  it('gives templates strftime_now (the Llama 3 date line) from its clock, whatever the variables', () => {
    const t = new ChatTemplate("Today Date: {{ strftime_now('%d %b %Y') }}", () => at);
    assert.equal(t.render({}), 'Today Date: 05 Dec 2026');
  });

  it('writes English month names whatever the locale of the process', () => {
    const script = "const { ChatTemplate } = require('./src/engine/chatTemplate.ts'); process.stdout.write(new ChatTemplate(\"{{ strftime_now('%b') }}\", () => new Date(2026, 11, 5)).render({}))";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { env: { ...process.env, LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }, encoding: 'utf8' });
    assert.equal(out, 'Dec');
  });

  it("keeps the library's globals: raise_exception, range, namespace, True/False/None", () => {
    const t = new ChatTemplate(
      "{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}{{ True }}{{ none is none }}{% if fail %}{{ raise_exception('no ' + fail) }}{% endif %}",
    );
    assert.equal(t.render({}), '3truetrue');
    assert.throws(() => t.render({ fail: 'system role' }), /no system role/);
  });
});
