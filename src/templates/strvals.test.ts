import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { renderTemplateString } from './render.js';
import { parseSetExpression } from './strvals.js';

// Cases from Helm's pkg/strvals parser tests: `--set` must type and nest values the same way.
const valid: [string, unknown][] = [
  ['name1=null,f=false,t=true', { name1: null, f: false, t: true }],
  ['T=TRUE,F=False,n=NULL', { T: true, F: false, n: null }],
  ['name1=value1', { name1: 'value1' }],
  ['name1=value1,name2=value2,', { name1: 'value1', name2: 'value2' }],
  ['name1=,name2=value2', { name1: '', name2: 'value2' }],
  ['leading_zeros=00009', { leading_zeros: '00009' }],
  ['zero_int=0', { zero_int: 0 }],
  ['long_int=1234567890,neg=-5,plus=+7', { long_int: 1234567890, neg: -5, plus: 7 }],
  ['float=1.5,exp=1e3', { float: '1.5', exp: '1e3' }],
  ['huge=123456789012345678901', { huge: '123456789012345678901' }],
  ['name1=one\\,two,name2=three\\,four', { name1: 'one,two', name2: 'three,four' }],
  ['name1=one\\=two', { name1: 'one=two' }],
  ['name1=one two three', { name1: 'one two three' }],
  ['outer.inner=value', { outer: { inner: 'value' } }],
  ['outer.middle.inner=value', { outer: { middle: { inner: 'value' } } }],
  ['outer.inner1=value,outer.middle.inner=value', { outer: { inner1: 'value', middle: { inner: 'value' } } }],
  ['name1.name2=', { name1: { name2: '' } }],
  ['dotted\\.key=v', { 'dotted.key': 'v' }],
  ['annotations.example\\.com/team=core', { annotations: { 'example.com/team': 'core' } }],
  ['name1={value1,value2}', { name1: ['value1', 'value2'] }],
  ['name1={1021,902},name2={a\\,b}', { name1: [1021, 902], name2: ['a,b'] }],
  ['name1.name2={value1,value2}', { name1: { name2: ['value1', 'value2'] } }],
  ['list[0]=foo', { list: ['foo'] }],
  ['list[0].foo=bar,list[0].hello=world', { list: [{ foo: 'bar', hello: 'world' }] }],
  ['list[0]=foo,list[3]=bar', { list: ['foo', null, null, 'bar'] }],
  ['noval[0]=', { noval: [''] }],
  ['nested[1][1]=1', { nested: [null, [null, 1]] }],
  ['name1.name2[1].foo=bar,name1.name2[0].foo=bar', { name1: { name2: [{ foo: 'bar' }, { foo: 'bar' }] } }],
  ['url=http://x:8080/a?b=c', { url: 'http://x:8080/a?b=c' }],
];

const invalid: [string, string][] = [
  ['name1=value1,,,,name2=value2,', 'empty key'],
  ['name1,name2=', 'key "name1" has no value (cannot end with ,)'],
  ['name1', 'key "name1" has no value'],
  ['name1.name2', 'key "name2" has no value'],
  ['name1.=name2', 'empty key'],
  ['name1={1021,902', "list must terminate with '}'"],
  ['list[0].foo=bar,list[-30].hello=world', 'negative -30 index not allowed'],
  ['list[x]=1', 'list index "x" is not a number'],
  ['list[70000]=1', 'greater than the maximum 65536'],
  ['list[0', 'not closed'],
  ['illegal[0]name.foo=bar', 'unexpected data at end of array index: "name"'],
  ['a=1,a.b=2', '"a" is already set to a value that is not a map'],
  ['a=1,a[0]=2', '"a" is already set to a value that is not a list'],
  [']={}].', '"]" is already set to a value that is not a map'],
  [`${'a.'.repeat(31)}b=1`, 'deeper than 30 levels'],
];

describe('parseSetExpression', () => {
  it.each(valid)('%s', (expression, expected) => {
    expect(parseSetExpression(expression)).toEqual(expected);
  });

  it.each(invalid)('rejects %s', (expression, reason) => {
    const run = (): unknown => parseSetExpression(expression);
    expect(run).toThrow(UserError);
    expect(run).toThrow(`invalid --set ${JSON.stringify(expression)}: `);
    expect(run).toThrow(reason);
  });

  it('merges repeated expressions into the same tree, later ones winning', () => {
    const into = { outer: { inner1: 'overwrite', inner2: 'value2' } };
    parseSetExpression('outer.inner1=value1,outer.inner3=value3,outer.inner4=4', into);
    expect(into).toEqual({ outer: { inner1: 'value1', inner2: 'value2', inner3: 'value3', inner4: 4 } });
    const lists = {};
    parseSetExpression('listOuter[0][0].type=listValue', lists);
    parseSetExpression('listOuter[0][0].status=alive', lists);
    expect(lists).toEqual({ listOuter: [[{ type: 'listValue', status: 'alive' }]] });
  });

  it('gives a hint on how to write --set', () => {
    try {
      parseSetExpression('a');
      expect.unreachable();
    } catch (err) {
      expect((err as UserError).hint).toMatch(/--set key=value/);
    }
  });
});

describe('Helm --set parity', () => {
  it('gives an empty list for name[0] without a value', () => {
    expect(parseSetExpression('name[0]')).toEqual({ name: [] });
  });

  it('keeps integers up to int64 exact and integral', () => {
    expect(
      parseSetExpression('big=9223372036854775807,small=-9223372036854775808,over=9223372036854775808'),
    ).toEqual({
      big: 9223372036854775807n,
      small: -9223372036854775808n,
      over: '9223372036854775808',
    });
    expect(
      renderTemplateString(
        '{{ big + 1 }} {{ big is integer }}',
        'x.j2',
        parseSetExpression('big=9007199254740993'),
      ),
    ).toBe('9007199254740994 True');
  });
});
