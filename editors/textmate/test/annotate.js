#!/usr/bin/env node
// Writes a sample with an annotation under every token of every line (except lines that end
// inside a text block, where a comment would become part of the text): a starting point for a
// new sample of run.js. Review every annotation against spec/language.md before committing it:
// the annotations state what the grammar SHOULD produce, not what it happens to produce.
//
// Usage: node annotate.js GRAMMAR PLAIN.policy > samples/NAME.policy
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const [grammarPath, plainPath] = process.argv.slice(2);
const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
const onigLib = oniguruma.loadWASM(wasm.buffer).then(() => ({
  createOnigScanner: (p) => new oniguruma.OnigScanner(p),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async (scopeName) => scopeName === 'source.capguard'
      ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
      : vsctm.parseRawGrammar(JSON.stringify({scopeName, patterns: []}), scopeName + '.json'),
});

registry.loadGrammar('source.capguard').then((grammar) => {
  let state = vsctm.INITIAL;
  const out = [];
  for (const text of fs.readFileSync(plainPath, 'utf8').split('\n')) {
    const r = grammar.tokenizeLine(text, state);
    state = r.ruleStack;
    out.push(text);
    const after = grammar.tokenizeLine('', state).tokens[0].scopes.join(' ');
    if (after.includes('string.quoted.triple') || text.startsWith('#')) continue;
    for (const t of r.tokens) {
      const word = text.slice(t.startIndex, t.endIndex);
      if (word.trim() === '' || t.scopes.length === 1) continue;
      const scopes = t.scopes.slice(1).join(' ');
      const len = t.endIndex - t.startIndex;
      if (t.startIndex === 0) out.push('# <' + '-'.repeat(len) + ' ' + scopes);
      else out.push('#' + ' '.repeat(t.startIndex - 1) + '^'.repeat(len) + ' ' + scopes);
    }
  }
  process.stdout.write(out.join('\n'));
});
