import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Card, CardError } from '../../src/core/card';
import { isCardError, parseCard, parseOptionsFor } from '../../src/cards';
import { findGaps } from '../../src/core/gaps';
import {
  BUNDLED_FLOWS_DIR,
  FlowFileError,
  loadCardSynonyms,
  loadDefaultFlow,
  loadFlows,
} from '../../src/flows';

/**
 * Card labels and debrief questions are data (flows/labels/*.yaml): a German-written card reads as the
 * English template does, and a team adds a language with a file, no code.
 */
const english = readFileSync(join(__dirname, '..', '..', 'cards', 'retina-lesion-detector.md'), 'utf8');
const german = readFileSync(join(__dirname, '..', 'fixtures', 'cards', 'german', 'netzhaut-laesionen.md'), 'utf8');
const flow = loadDefaultFlow();

function asCard(result: Card | CardError): Card {
  if (isCardError(result)) throw new Error(`expected a card, got ${result.code}: ${result.message}`);
  return result;
}

function shape(card: Card) {
  return {
    projectId: card.projectId,
    level: card.level,
    owners: card.owners.map((person) => person.text),
    reviewers: card.reviewers.map((person) => person.text),
    keys: Object.keys(card.fields).sort(),
    emptyKeys: Object.values(card.fields)
      .filter((field) => field!.text === '')
      .map((field) => field!.key)
      .sort(),
    debrief: card.debrief.map((question) => [question.number, question.answered]),
    extras: card.extras.filter((extra) => extra.kind === 'section').map((extra) => extra.label),
    gaps: findGaps(card, flow).required.map((gap) => [gap.key, gap.reason]),
  };
}

describe('cards written in German', () => {
  it('parse to the same rows, sections, debrief answers and gaps as the English template', () => {
    const de = asCard(parseCard(german, 'netzhaut-laesionen.md'));
    const en = asCard(parseCard(english, 'retina-lesion-detector.md'));
    expect(shape(de)).toEqual(shape(en));
    expect(de.fields['testing-status']?.label).toBe('Teststatus');
    expect(de.fields['coupled-components']?.text).toContain('R03.1');
    expect(de.debrief[3].question).toBe('Welche technischen Schulden sind entstanden? Abgebaut?');
    expect(de.debrief[3].answer).toMatch(/^Entstanden: /);
  });

  it('name a missing debrief question in the words of the first file that words it (English)', () => {
    const withoutLearned = german.replace(/3\. Was wurde gelernt\?\n.*\n/, '');
    const card = asCard(parseCard(withoutLearned, 'x.md'));
    expect(card.debrief[2]).toMatchObject({ answered: false, question: 'What was learned?' });
  });
});

describe('label files', () => {
  function flowsDirWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'labels-'));
    copyFileSync(join(BUNDLED_FLOWS_DIR, 'mltrl.yaml'), join(dir, 'mltrl.yaml'));
    mkdirSync(join(dir, 'labels'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'labels', name), text);
    return dir;
  }

  it('let a team add its own language beside the bundled ones, without code', () => {
    const dir = flowsDirWith({
      'nl.yaml': [
        'language: nl',
        'rows:',
        "  - { key: tech-name, match: ['^technologienaam'] }",
        "  - { key: current-level, match: ['^huidig niveau$'] }",
        "  - { key: owners, match: ['^eigenaren$'] }",
        'sections:',
        "  - { key: testing-status, match: ['^teststatus$'] }",
        '',
      ].join('\n'),
    });
    const flows = loadFlows(dir);
    const dutch = [
      '# MLTRL-kaart',
      '',
      '| Samenvatting | Inhoud |',
      '| --- | --- |',
      '| Technologienaam (project-ID) | Netvliesdetector (N01.1) |',
      '| Huidig niveau | 2 |',
      '| Eigenaren | @sam |',
      '',
      '### Teststatus',
      '',
      'Nachtelijke evaluatie.',
      '',
    ].join('\n');
    const card = asCard(parseCard(dutch, 'nl.md', parseOptionsFor(flows)));
    expect([card.projectId, card.level, card.owners[0].handle]).toEqual(['N01.1', 2, 'sam']);
    expect(card.fields['testing-status']?.text).toBe('Nachtelijke evaluatie.');
    // The bundled English and German still count.
    expect(asCard(parseCard(german, 'de.md', parseOptionsFor(flows))).projectId).toBe('R07.2');
    // Without that file, the same card is no card.
    expect(isCardError(parseCard(dutch, 'nl.md'))).toBe(true);
  });

  it('refuse a bad file with one line per problem, naming the file and line', () => {
    const dir = flowsDirWith({
      'xx.yaml': [
        'language: xx',
        'rows:',
        "  - key: tech-name",
        "    match: ['^(unclosed']",
        '  - key: no-such-key',
        "    match: ['^x$']",
        'debrief:',
        '  learned:',
        "    match: ['[z-a]']",
        '',
      ].join('\n'),
    });
    let error: unknown;
    try {
      loadFlows(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FlowFileError);
    const lines = (error as FlowFileError).message.split('\n');
    const file = join(dir, 'labels', 'xx.yaml');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${escape(file)}:5: rows\\[1\\]\\.key: `)),
      ]),
    );
    expect(lines).toHaveLength(1); // the schema problem first; patterns are checked once the shape is right

    const fixed = flowsDirWith({
      'xx.yaml': ['language: xx', 'rows:', '  - key: tech-name', "    match: ['^(unclosed']", 'debrief:', '  learned:', "    match: ['[z-a]']", ''].join('\n'),
    });
    expect(() => loadFlows(fixed)).toThrow(FlowFileError);
    try {
      loadFlows(fixed);
    } catch (caught) {
      const message = (caught as FlowFileError).message;
      const where = escape(join(fixed, 'labels', 'xx.yaml'));
      expect(message).toMatch(new RegExp(`^${where}:4: rows\\[0\\]\\.match\\[0\\]: not a regular expression`, 'm'));
      expect(message).toMatch(new RegExp(`^${where}:7: debrief\\.learned\\.match\\[0\\]: not a regular expression`, 'm'));
    }
  });

  it('need every debrief question worded somewhere', () => {
    const dir = mkdtempSync(join(tmpdir(), 'labels-only-'));
    writeFileSync(join(dir, 'en.yaml'), "language: en\ndebrief:\n  learned:\n    match: ['learn']\n");
    expect(() => loadCardSynonyms([dir])).toThrow(/debrief question.* accomplished, punted, learned, tech-debt/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
