/** Wires the extension: output channel, status bar item, client, commands and listeners. */
import * as vscode from 'vscode';
import { ShapeLensClient } from './client';
import { Commands, CONFIG_SECTION, OUTPUT_CHANNEL, SHAPES_SCHEME, Settings, SUMMARY_SCHEME } from './constants';
import { interpreterSetting, onPythonInterpreterChange } from './interpreter';
import { StatusItem } from './status';
import { ShapesProvider, showModelSummary, showShapes, SummaryProvider } from './views';

let client: ShapeLensClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // vscode-languageclient 11 writes the server's stderr with .error()/.info(): a log channel.
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  const status = new StatusItem();
  const shapelens = new ShapeLensClient(context, output, status);
  client = shapelens;
  const shapes = new ShapesProvider(() => shapelens.python);
  const summaries = new SummaryProvider();

  context.subscriptions.push(
    output,
    status,
    shapes,
    vscode.workspace.registerTextDocumentContentProvider(SHAPES_SCHEME, shapes),
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, summaries),
    vscode.commands.registerCommand(Commands.restartServer, () => shapelens.restart()),
    vscode.commands.registerCommand(Commands.showOutput, () => {
      output.show();
    }),
    vscode.commands.registerCommand(Commands.showShapes, () => showShapes(vscode.window.activeTextEditor)),
    vscode.commands.registerCommand(Commands.showModelSummary, () =>
      showModelSummary(vscode.window.activeTextEditor, shapelens.running, shapelens.python, summaries),
    ),
    // The server's own settings travel by workspace/didChangeConfiguration (see client.ts);
    // the interpreter is ours, and a new one needs a new server process.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${CONFIG_SECTION}.${Settings.interpreter}`)) {
        output.info('shapelens.interpreter changed: restarting the server');
        void shapelens.restart();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('Workspace trusted: restarting the server with the configured interpreter');
      void shapelens.restart();
    }),
    { dispose: () => void shapelens.dispose() },
  );
  // Shows the commands in the palette (package.json hides them before a Python file is open).
  await vscode.commands.executeCommand('setContext', 'shapelens.activated', true);
  // Not awaited: activation must not wait for Python (or the Python extension) to start.
  void shapelens.start();
  void onPythonInterpreterChange(() => {
    if (interpreterSetting() !== undefined) {
      return; // the setting wins over the Python extension
    }
    output.info('The Python extension selected another interpreter: restarting the server');
    void shapelens.restart();
  }).then((subscription) => {
    if (subscription !== undefined) {
      context.subscriptions.push(subscription);
    }
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
