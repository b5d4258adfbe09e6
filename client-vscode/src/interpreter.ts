/**
 * Which Python runs the server, and whether it has the `shapelens` package.
 *
 * Order: the `shapelens.interpreter` setting (user/machine settings only, never a workspace
 * value, and only in a trusted workspace); the interpreter selected in the Python extension
 * (its public API) when that extension is installed; `python3` on PATH. In Restricted Mode an
 * interpreter that lives inside the workspace is skipped too: running it would run code the
 * user has not trusted yet.
 */
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PythonExtension } from '@vscode/python-extension';
import { CONFIG_SECTION, PROBE_TIMEOUT_MS, PYTHON_EXTENSION_ID, Settings } from './constants';

export type InterpreterSource = 'setting' | 'python-extension' | 'path';

export interface Interpreter {
  /** Executable to run (absolute, or a bare name looked up on PATH). */
  readonly command: string;
  readonly source: InterpreterSource;
}

export const SOURCE_LABELS: Record<InterpreterSource, string> = {
  setting: 'the shapelens.interpreter setting',
  'python-extension': 'the Python extension',
  path: 'python3 on PATH',
};

/** Result of running the interpreter once: `ok` with the package version, or why not. */
export type Probe =
  | { kind: 'ok'; version: string }
  | { kind: 'missing-package'; detail: string }
  | { kind: 'not-runnable'; detail: string };

/** The `shapelens.interpreter` value from user (or remote machine) settings only. */
export function interpreterSetting(): string | undefined {
  const inspected = vscode.workspace
    .getConfiguration(CONFIG_SECTION)
    .inspect<string>(Settings.interpreter);
  const value = inspected?.globalValue?.trim();
  return value ? expandHome(value) : undefined;
}

function expandHome(value: string): string {
  const home = os.homedir();
  if (value === '~') {
    return home;
  }
  if (value.startsWith('~/')) {
    return path.join(home, value.slice(2));
  }
  return value.replace('${userHome}', home);
}

function insideWorkspace(file: string): boolean {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.some((folder) => {
    const relative = path.relative(folder.uri.fsPath, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  });
}

/** The Python extension's active interpreter for the first workspace folder, if any. */
async function pythonExtensionInterpreter(log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (vscode.extensions.getExtension(PYTHON_EXTENSION_ID) === undefined) {
    return undefined;
  }
  try {
    const api = await PythonExtension.api();
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? undefined;
  } catch (err) {
    log.warn(`Could not ask the Python extension for its interpreter: ${String(err)}`);
    return undefined;
  }
}

/** Subscribe to interpreter changes made in the Python extension (no-op without it). */
export async function onPythonInterpreterChange(listener: () => void): Promise<vscode.Disposable | undefined> {
  if (vscode.extensions.getExtension(PYTHON_EXTENSION_ID) === undefined) {
    return undefined;
  }
  try {
    const api = await PythonExtension.api();
    return api.environments.onDidChangeActiveEnvironmentPath(listener);
  } catch {
    return undefined;
  }
}

export async function findInterpreter(log: vscode.LogOutputChannel): Promise<Interpreter> {
  const trusted = vscode.workspace.isTrusted;
  const setting = interpreterSetting();
  if (setting !== undefined) {
    if (trusted) {
      return { command: setting, source: 'setting' };
    }
    log.warn(`Restricted Mode: not using shapelens.interpreter (${setting}) until the workspace is trusted.`);
  }
  const fromExtension = await pythonExtensionInterpreter(log);
  if (fromExtension !== undefined) {
    if (trusted || !insideWorkspace(fromExtension)) {
      return { command: fromExtension, source: 'python-extension' };
    }
    log.warn(`Restricted Mode: not running ${fromExtension}, which is inside the workspace.`);
  }
  return { command: 'python3', source: 'path' };
}

export interface RunResult {
  readonly code: number | string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the interpreter with arguments; never rejects (the error is in `code`). */
export function runPython(
  python: string,
  args: readonly string[],
  timeout: number,
  cwd?: string,
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      python,
      args,
      {
        timeout,
        cwd: cwd ?? os.tmpdir(),
        // The workspace (cwd) must not shadow installed modules: see client.ts.
        env: { ...process.env, PYTHONSAFEPATH: '1' },
        maxBuffer: 32 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : ((error as NodeJS.ErrnoException).code ?? 1);
        resolve({ code, stdout, stderr: stderr || (error?.message ?? '') });
      },
    );
  });
}

/** Can `python` import the server (the package and its LSP dependency)? */
export async function probe(python: string): Promise<Probe> {
  const script =
    'import sys\n' +
    'try:\n' +
    '    import shapelens, shapelens.lsp.server\n' +
    'except ImportError as err:\n' +
    '    sys.stdout.write("missing: %s" % err); sys.exit(3)\n' +
    'sys.stdout.write(shapelens.__version__)\n';
  const result = await runPython(python, ['-c', script], PROBE_TIMEOUT_MS);
  if (result.code === 0) {
    return { kind: 'ok', version: result.stdout.trim() };
  }
  if (result.code === 3) {
    return { kind: 'missing-package', detail: result.stdout.replace(/^missing: /, '') };
  }
  return { kind: 'not-runnable', detail: `${String(result.code)}: ${result.stderr.trim()}` };
}
