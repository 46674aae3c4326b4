/**
 * The annotation file formats the labels procedures read and write, and the file extension of each.
 */
import { z } from 'zod';

import type { LabelsFormat } from '@gradeshift/pipeline';

/** `csv`, `jsonl` or `labelstudio`. */
export const labelsFormat = z.enum(['csv', 'jsonl', 'labelstudio']);

/** The file extension of each format. */
export const LABELS_EXTENSIONS: Readonly<Record<LabelsFormat, string>> = {
  csv: '.csv',
  jsonl: '.jsonl',
  labelstudio: '.json',
};
