import { describe, expect, it } from 'vitest';

import { prepareText } from '../features/prepare-text';
import { DEFAULT_STOP_WORDS } from '../features/stop-words';
import {
  parsePrepareSettings,
  prepareOptionsFromSettings,
  prepareSettingsFromOptions,
} from './prepare-settings';

describe('prepare settings', () => {
  it('writes every default out and restores options that prepare text identically', () => {
    const settings = prepareSettingsFromOptions();
    expect(settings).toEqual({
      stopWords: [...DEFAULT_STOP_WORDS].sort(),
      maxTokens: 64,
      canonicalUnits: true,
      foldDiacritics: true,
      maxInputLength: 10_000,
    });
    const restored = prepareOptionsFromSettings(
      parsePrepareSettings(JSON.parse(JSON.stringify(settings)), 'p'),
    );
    for (const text of [
      'The Rain Shower-Head for 1/2 in. pipe',
      'Crème brûlée torch 12v',
      'on/off',
    ]) {
      expect(prepareText(text, restored)).toEqual(prepareText(text));
    }
  });

  it('keeps non-default options', () => {
    const settings = prepareSettingsFromOptions({
      stopWords: new Set(['x', 'a']),
      maxTokens: 3,
      canonicalUnits: false,
    });
    expect(settings).toMatchObject({
      stopWords: ['a', 'x'],
      maxTokens: 3,
      canonicalUnits: false,
      foldDiacritics: true,
    });
    expect(prepareText('a b c d e', prepareOptionsFromSettings(settings)).tokens).toEqual([
      'b',
      'c',
    ]);
  });

  it('names the bad field', () => {
    expect(() =>
      parsePrepareSettings(
        { ...prepareSettingsFromOptions(), maxInputLength: -5 },
        'manifest.text.prepare',
      ),
    ).toThrow('manifest.text.prepare.maxInputLength must be a positive integer (got -5)');
    expect(() =>
      parsePrepareSettings({ ...prepareSettingsFromOptions(), stopWords: 'a' }, 'p'),
    ).toThrow('p.stopWords must be an array (got "a")');
  });
});
