import { base } from '@gradeshift/eslint-config/base';

export default [...base(import.meta.dirname)];
