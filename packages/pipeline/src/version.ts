/** The version of gradeshift's pipeline, written into model bundles and reports (the package's `version`). */
export const PIPELINE_VERSION = '0.1.0';
