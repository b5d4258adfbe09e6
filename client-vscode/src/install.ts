/**
 * When the interpreter cannot run the server: say so in a notification, with buttons to open
 * the install instructions, to choose another interpreter, or to run `pip install shapelens`
 * in that interpreter (only after the user clicks it, output shown as it goes).
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION, INSTALL_COMMAND, Settings } from './constants';
import { type Interpreter, type Probe, runPython, SOURCE_LABELS } from './interpreter';

const PIP_TIMEOUT_MS = 10 * 60_000;

export async function openInstallInstructions(context: vscode.ExtensionContext): Promise<void> {
  const readme = vscode.Uri.joinPath(context.extensionUri, 'README.md');
  try {
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  } catch {
    await vscode.commands.executeCommand('vscode.open', readme);
  }
}

async function chooseInterpreter(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', `${CONFIG_SECTION}.${Settings.interpreter}`);
}

async function pipInstall(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  python: string,
  restart: () => Promise<void>,
): Promise<void> {
  output.info(`Running: ${python} -m ${INSTALL_COMMAND}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `ShapeLens: installing shapelens into ${python}` },
    () => runPython(python, ['-m', 'pip', 'install', 'shapelens'], PIP_TIMEOUT_MS),
  );
  if (result.stdout) {
    output.info(result.stdout.trimEnd());
  }
  if (result.code === 0) {
    void vscode.window.showInformationMessage('ShapeLens: shapelens installed; starting the server.');
    await restart();
    return;
  }
  output.error(result.stderr.trimEnd());
  const choice = await vscode.window.showErrorMessage(
    `ShapeLens: "pip install shapelens" failed in ${python} (exit ${String(result.code)}).`,
    'Show Output',
    'Install Instructions',
  );
  if (choice === 'Show Output') {
    output.show();
  } else if (choice === 'Install Instructions') {
    await openInstallInstructions(context);
  }
}

export async function notifyUnusableInterpreter(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  interpreter: Interpreter,
  checked: Exclude<Probe, { kind: 'ok' }>,
  restart: () => Promise<void>,
): Promise<void> {
  const from = SOURCE_LABELS[interpreter.source];
  const INSTALL = 'Install with pip…';
  const DOCS = 'Install Instructions';
  const CHOOSE = 'Choose Interpreter';
  let choice: string | undefined;
  if (checked.kind === 'missing-package') {
    choice = await vscode.window.showErrorMessage(
      `ShapeLens: the "shapelens" package is not installed in ${interpreter.command} (from ${from}), ` +
        'so the language server cannot start.',
      INSTALL,
      DOCS,
      CHOOSE,
    );
  } else {
    choice = await vscode.window.showErrorMessage(
      `ShapeLens: cannot run the Python interpreter ${interpreter.command} (from ${from}).`,
      DOCS,
      CHOOSE,
    );
  }
  if (choice === DOCS) {
    await openInstallInstructions(context);
  } else if (choice === CHOOSE) {
    await chooseInterpreter();
  } else if (choice === INSTALL) {
    const confirm = await vscode.window.showWarningMessage(
      `Install shapelens from PyPI into ${interpreter.command}?`,
      { modal: true, detail: `This runs: ${interpreter.command} -m ${INSTALL_COMMAND}` },
      'Install',
    );
    if (confirm === 'Install') {
      await pipInstall(context, output, interpreter.command, restart);
    }
  }
}
