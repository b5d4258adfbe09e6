/**
 * Builds the LanguageClient (`python -m shapelens serve` over stdio) and owns its lifecycle:
 * find the interpreter, check it has the package, start, restart, stop, and report the state
 * to the status bar item.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { CONFIG_SECTION, SERVER_NAME } from './constants';
import { findInterpreter, type Interpreter, probe, SOURCE_LABELS } from './interpreter';
import { notifyUnusableInterpreter } from './install';
import type { StatusItem } from './status';

/** The `shapelens.*` settings as the server reads them (client-only keys removed). */
export function serverSettings(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return raw;
  }
  const copy = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
  // Client-side settings, not the server's: the interpreter and the protocol trace.
  delete copy.interpreter;
  delete copy.trace;
  return copy;
}

export function createClient(python: string, output: vscode.LogOutputChannel): LanguageClient {
  const serverOptions: ServerOptions = {
    command: python,
    args: ['-m', 'shapelens', 'serve'],
    // Never start Python inside the workspace: with `-m`, the working directory goes first on
    // sys.path, so a pygls.py in an untrusted repository would run. PYTHONSAFEPATH (3.11+)
    // keeps it off sys.path as well.
    options: {
      cwd: os.tmpdir(),
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONSAFEPATH: '1' },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
      // Python cells of Jupyter notebooks: the server syncs them as notebook documents
      // (notebookDocumentSync) and answers hovers, hints and fixes per cell.
      { notebook: 'jupyter-notebook', language: 'python' },
    ],
    outputChannel: output,
    diagnosticCollectionName: 'shapelens',
    initializationOptions: serverSettings(vscode.workspace.getConfiguration(CONFIG_SECTION)),
    // Sends workspace/didChangeConfiguration on every shapelens.* change; the server then
    // pulls the section again with workspace/configuration (answered below).
    synchronize: { configurationSection: CONFIG_SECTION },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const answer = await next(params, token);
          if (!Array.isArray(answer)) {
            return answer;
          }
          return answer.map((item: unknown, i) =>
            params.items[i]?.section === CONFIG_SECTION ? serverSettings(item) : item,
          );
        },
      },
    },
  };
  return new LanguageClient('shapelens', SERVER_NAME, serverOptions, clientOptions);
}

export class ShapeLensClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private interpreter: Interpreter | undefined;
  private version = '';
  private queue: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after each start attempt, whatever its outcome. */
  readonly onDidStart = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly status: StatusItem,
  ) {}

  /** The interpreter the running server uses (for the CLI commands), if it started. */
  get python(): string | undefined {
    return this.client !== undefined ? this.interpreter?.command : undefined;
  }

  /** The client, when it is running. */
  get running(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task, task);
    return this.queue;
  }

  private async doStart(): Promise<void> {
    try {
      await this.launch();
    } finally {
      this.changed.fire();
    }
  }

  private async launch(): Promise<void> {
    this.status.set('starting', 'Looking for a Python interpreter');
    const interpreter = await findInterpreter(this.output);
    const from = SOURCE_LABELS[interpreter.source];
    this.output.info(`Python interpreter: ${interpreter.command} (from ${from})`);
    const checked = await probe(interpreter.command);
    if (checked.kind !== 'ok') {
      const what = checked.kind === 'missing-package' ? 'the shapelens package is missing' : 'it cannot run';
      this.output.error(`${interpreter.command}: ${what}: ${checked.detail}`);
      this.status.set('error', `${interpreter.command} (from ${from}): ${what}`);
      void notifyUnusableInterpreter(this.context, this.output, interpreter, checked, () => this.restart());
      return;
    }
    this.interpreter = interpreter;
    this.version = checked.version;
    this.output.info(`shapelens ${checked.version}: starting the server`);
    this.status.set('starting', `shapelens ${checked.version} in ${interpreter.command}`);
    const client = createClient(interpreter.command, this.output);
    client.onDidChangeState(({ newState }) => {
      if (client === this.client) {
        this.onState(newState);
      }
    });
    this.client = client;
    try {
      await client.start();
    } catch (err) {
      if (client === this.client) {
        this.output.error(`The server did not start: ${String(err)}`);
        this.status.set('error', 'The server did not start; see the output');
      }
    }
  }

  private onState(state: State): void {
    const where = `shapelens ${this.version} in ${this.interpreter?.command ?? '?'}`;
    if (state === State.Running) {
      this.status.set('ready', where);
    } else if (state === State.Starting) {
      this.status.set('starting', where);
    } else {
      this.status.set('error', `The server stopped (${where}); see the output`);
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      await client.dispose(2000);
    } catch (err) {
      this.output.warn(`Stopping the server: ${String(err)}`);
    }
    this.status.set('stopped', 'The server is not running');
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.changed.dispose();
  }
}
