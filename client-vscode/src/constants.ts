/** Names shared by the extension's modules: ids here must match package.json. */

export const SERVER_NAME = 'ShapeLens';
export const CONFIG_SECTION = 'shapelens';
export const OUTPUT_CHANNEL = 'ShapeLens';

export const Commands = {
  restartServer: 'shapelens.restartServer',
  showOutput: 'shapelens.showOutput',
  showShapes: 'shapelens.showShapes',
  showModelSummary: 'shapelens.showModelSummary',
} as const;

export const Settings = {
  interpreter: 'interpreter',
} as const;

/** Read-only virtual documents: `shapelens shapes` output and model summaries. */
export const SHAPES_SCHEME = 'shapelens-shapes';
export const SUMMARY_SCHEME = 'shapelens-summary';

export const PYTHON_EXTENSION_ID = 'ms-python.python';

/** Shown when the interpreter lacks the package (the README's "Install" section). */
export const INSTALL_COMMAND = 'pip install shapelens';

/** How long `python -c "import shapelens"` may take before the interpreter is given up. */
export const PROBE_TIMEOUT_MS = 20_000;
/** How long `shapelens shapes` may run for a command. */
export const CLI_TIMEOUT_MS = 60_000;
