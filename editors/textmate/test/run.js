#!/usr/bin/env node
// Tokenizes the annotated samples (samples/*.policy) with vscode-textmate and vscode-oniguruma, the
// engine VS Code uses, and compares each annotated token's scopes with the annotation, exactly.
//
// An annotation is a comment line below the source line it describes:
//   #   ^^^^ scope.one scope.two     the columns under the carets carry exactly these scopes
//   # <- scope.one                    column 0 (the `#` itself cannot stand under it)
// Scopes are the token's scope stack without the root `source.capguard`, outermost first. A
// line that is only annotations is not itself checked. Exit 1 on any difference (each printed),
// 0 when all hold; with no annotation at all in a sample, that sample fails too.
//
// Usage: node run.js [GRAMMAR] [SAMPLE...]   (defaults: ../capguard.tmLanguage.json, samples/)
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const here = __dirname;
const grammarPath = process.argv[2] || path.join(here, '..', 'capguard.tmLanguage.json');
let samples = process.argv.slice(3);
if (samples.length === 0) {
  const dir = path.join(here, 'samples');
  samples = fs.readdirSync(dir).filter((f) => f.endsWith('.policy')).sort()
      .map((f) => path.join(dir, f));
}

const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
const onigLib = oniguruma.loadWASM(wasm.buffer).then(() => ({
  createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async (scopeName) => {
    // Test inputs embed YAML and JSON (`input compose """..."""`): empty stand-ins for the
    // grammars an editor brings, so the embedding itself is what the samples check.
    if (scopeName === 'source.yaml' || scopeName === 'source.json') {
      return vsctm.parseRawGrammar(JSON.stringify({scopeName, patterns: []}), scopeName + '.json');
    }
    if (scopeName !== 'source.capguard') return null;
    const text = fs.readFileSync(grammarPath, 'utf8');
    return vsctm.parseRawGrammar(text, grammarPath);
  },
});

const ANNOTATION = /^#(\s*)(\^+|<-+)\s+(\S.*)$/;

function scopesAt(tokens, column) {
  for (const t of tokens) {
    if (t.startIndex <= column && column < t.endIndex) return t.scopes.slice(1);
  }
  return null;
}

async function main() {
  const grammar = await registry.loadGrammar('source.capguard');
  if (!grammar) throw new Error('cannot load ' + grammarPath);
  if (process.env.DUMP) {  // DUMP=1 node run.js GRAMMAR FILE: every token, for writing annotations
    let state = vsctm.INITIAL;
    for (const [i, text] of fs.readFileSync(samples[0], 'utf8').split('\n').entries()) {
      const r = grammar.tokenizeLine(text, state);
      state = r.ruleStack;
      for (const t of r.tokens) {
        console.log(`${i + 1}:${t.startIndex + 1} ${JSON.stringify(text.slice(t.startIndex, t.endIndex))} ${t.scopes.slice(1).join(' ')}`);
      }
    }
    return;
  }
  let failures = 0;
  let checked = 0;
  // Valid policy files (CLEAN_DIRS, colon-separated: the standard library, the examples) must
  // have no token scoped invalid.illegal: the grammar must not flag correct code.
  for (const dir of (process.env.CLEAN_DIRS || '').split(':').filter(Boolean)) {
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.policy')).sort()) {
      let state = vsctm.INITIAL;
      const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
      lines.forEach((text, i) => {
        const r = grammar.tokenizeLine(text, state);
        state = r.ruleStack;
        for (const t of r.tokens) {
          if (t.scopes.some((sc) => sc.startsWith('invalid.'))) {
            failures++;
            console.log(`${f}:${i + 1}:${t.startIndex + 1}: valid code scoped ${t.scopes.join(' ')}: ` +
                        `\`${text.slice(t.startIndex, t.endIndex)}\``);
          }
        }
      });
      checked++;
    }
  }
  for (const file of samples) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let state = vsctm.INITIAL;
    let lastTokens = null;
    let lastLine = 0;
    let lastText = '';
    let fileChecks = 0;
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i];
      const m = ANNOTATION.exec(text);
      if (m && lastTokens) {
        const want = m[3].trim().split(/\s+/);
        const columns = [];
        if (m[2].startsWith('<')) {
          for (let c = 0; c < m[2].length - 1; c++) columns.push(c);
        } else {
          const start = 1 + m[1].length;
          for (let c = 0; c < m[2].length; c++) columns.push(start + c);
        }
        for (const c of columns) {
          const got = scopesAt(lastTokens, c);
          checked++;
          fileChecks++;
          if (!got || got.join(' ') !== want.join(' ')) {
            failures++;
            console.log(`${path.basename(file)}:${lastLine + 1}:${c + 1}: ` +
                        `\`${lastText.slice(c, c + 12)}\`\n  expected: ${want.join(' ')}\n` +
                        `  actual:   ${got ? got.join(' ') : '(no token)'}`);
          }
        }
        continue;
      }
      const r = grammar.tokenizeLine(text, state);
      state = r.ruleStack;
      lastTokens = r.tokens;
      lastLine = i;
      lastText = text;
    }
    if (fileChecks === 0) {
      failures++;
      console.log(`${path.basename(file)}: no annotations`);
    }
  }
  console.log(`${checked} annotated columns and clean files, ${samples.length} samples, ${failures} wrong`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
