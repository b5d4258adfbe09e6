/** The status bar item: the server's state at a glance; clicking it opens the output. */
import * as vscode from 'vscode';
import { Commands } from './constants';

export type ServerState = 'starting' | 'ready' | 'error' | 'stopped';

const ICONS: Record<ServerState, string> = {
  starting: '$(loading~spin)',
  ready: '$(check)',
  error: '$(error)',
  stopped: '$(circle-slash)',
};

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: ServerState = 'stopped';

  constructor() {
    this.item = vscode.window.createStatusBarItem('shapelens.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'ShapeLens';
    this.item.command = Commands.showOutput;
    this.set('starting', 'Looking for a Python interpreter');
    this.item.show();
  }

  get state(): ServerState {
    return this.current;
  }

  set(state: ServerState, detail: string): void {
    this.current = state;
    this.item.text = `${ICONS[state]} ShapeLens: ${state}`;
    this.item.tooltip = `ShapeLens ${state}: ${detail}\nClick to show the output.`;
    this.item.accessibilityInformation = { label: `ShapeLens ${state}: ${detail}` };
    this.item.backgroundColor =
      state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
