import { LiquidSandbox, TEMPLATE_MAX_CHARS, TemplateError } from './liquid-sandbox';

function errorOf(action: () => unknown): TemplateError {
  try {
    action();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('LiquidSandbox', () => {
  const sandbox = new LiquidSandbox({ escape: (text) => text.replace(/</g, '&lt;') });

  it('escapes what outputs print, not the template text, unless raw', () => {
    expect(sandbox.render('<b>{{ name }}</b> {{ name | raw }}', { name: '<i>' })).toBe('<b>&lt;i></b> <i>');
  });

  it('prints null as nothing and objects as JSON', () => {
    expect(sandbox.render('[{{ gone }}] {{ thing }}', { gone: null, thing: { a: 1 } })).toBe('[] {"a":1}');
  });

  it('refuses unknown variables and filters, with where they are', () => {
    expect(errorOf(() => sandbox.render('ok\n  {{ nope }}', {}))).toMatchObject({ line: 2, column: 6 });
    expect(errorOf(() => sandbox.render('{{ 1 | nope }}', {})).message).toMatch(/undefined filter: nope/);
  });

  it('lets if and default name what is missing', () => {
    expect(sandbox.render('{% if x %}x{% endif %}{{ y | default: "d" }}', {})).toBe('d');
  });

  it('reads no other template, and no file', () => {
    for (const tag of ['include', 'render', 'layout']) {
      expect(errorOf(() => sandbox.compile(`{% ${tag} "/etc/passwd" %}`)).message).toMatch(/not available/);
    }
  });

  it('refuses a template over the length limit, and a render over the memory limit', () => {
    expect(errorOf(() => sandbox.compile('x'.repeat(TEMPLATE_MAX_CHARS + 1))).message).toMatch(/longer than/);
    expect(errorOf(() => sandbox.render('{% for i in (1..100000000) %}{% endfor %}', {})).message).toMatch(
      /limit/,
    );
  });

  it('hides prototypes from templates', () => {
    expect(errorOf(() => sandbox.render('{{ o.constructor }}', { o: {} })).message).toMatch(
      /undefined variable/,
    );
  });

  it('lists the paths of the variables a template reads', () => {
    const paths = sandbox.variablePaths('{% assign x = 1 %}{{ x }}{{ data.a.b }}{{ data[key] }}{{ title }}');
    expect(paths).toEqual(expect.arrayContaining([['data', 'a', 'b'], ['data'], ['title'], ['key']]));
    expect(paths).not.toContainEqual(['x']);
  });
});
