import { startScriptedServer } from './test/llm/support/scripted-server.js';
import { runScript } from './test/llm/support/llm-run.js';
import { spawnSync } from 'node:child_process';
const server = await startScriptedServer(runScript);
const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--mind', 'llm', '--iterations', '2', '--store', 'memory:'], { env: { ...process.env, OPENAI_BASE_URL: server.url, AURORA_MODEL: 'm', OPENAI_API_KEY: 'sk-xyz' }, encoding: 'utf8' });
console.log(r.stdout.slice(0, 3000), r.stderr);
await server.close();
