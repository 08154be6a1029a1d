import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defineConfig } from '@playwright/test';
import baseConfig from './playwright.config';
import { BASE_URL, CLUSTER_DATABASE_URL, CLUSTER_DIR, DATA_DIR, e2eEnv, NODE_PORTS, PORT, ROOT } from './tests/support/server';

// `make test-cluster` (scripts/cluster.sh, which starts the PostgreSQL): two release nodes on
// one database, both with the same public URL, behind nginx alternating requests between them
// (round-robin, no stickiness) on the port the tests use. The sign-in paths and a reset
// request run through it; then one node is killed and people carry on on the other.
if (!CLUSTER_DATABASE_URL) throw new Error('GATEHOUSE_E2E_DATABASE_URL is not set: run scripts/cluster.sh');
fs.mkdirSync(CLUSTER_DIR, { recursive: true });
const nginxConf = path.join(CLUSTER_DIR, 'nginx.conf');
// nginx's workers run as nobody when started as root: their temporary files (request bodies,
// the support form's documents) must sit where nobody can reach, which a checkout in a
// private folder (a home directory, `mktemp -d`) is not.
const nginxTemp = path.join(os.tmpdir(), `gatehouse-cluster-nginx-${PORT}`);
fs.mkdirSync(nginxTemp, { recursive: true });
fs.chmodSync(nginxTemp, 0o755);
fs.writeFileSync(
  nginxConf,
  `daemon off;
pid ${CLUSTER_DIR}/nginx.pid;
error_log ${CLUSTER_DIR}/nginx-error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${nginxTemp}/body;
  proxy_temp_path ${nginxTemp}/proxy;
  upstream gatehouse {
    server 127.0.0.1:${NODE_PORTS[0]} max_fails=1 fail_timeout=30s;
    server 127.0.0.1:${NODE_PORTS[1]} max_fails=1 fail_timeout=30s;
  }
  server {
    listen 127.0.0.1:${PORT};
    client_max_body_size 26m;
    location / {
      proxy_pass http://gatehouse;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      # A refused connection was never sent: try the other node, whatever the method.
      proxy_next_upstream error timeout;
    }
  }
}
`,
);

function node(i: number) {
  const env = { ...e2eEnv(), GATEHOUSE_BIND: `127.0.0.1:${NODE_PORTS[i]}` };
  const pidFile = path.join(CLUSTER_DIR, `node${i}.pid`);
  // The first node starts on an empty outbox (and migrates the database); the second shares
  // its data folder, for the secret key the first one wrote.
  const fresh = i === 0 ? `rm -rf '${DATA_DIR}' && mkdir -p '${DATA_DIR}' && ` : '';
  return {
    command: `${fresh}echo $$ > '${pidFile}' && exec '${ROOT}/target/release/gatehouse' serve`,
    cwd: ROOT,
    env,
    url: `http://127.0.0.1:${NODE_PORTS[i]}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}

const [oidc] = baseConfig.webServer as NonNullable<typeof baseConfig.webServer>[];
export default defineConfig({
  ...baseConfig,
  testDir: '.',
  webServer: [
    oidc,
    node(0),
    node(1),
    {
      command: `exec nginx -c '${nginxConf}'`,
      url: `${BASE_URL}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  projects: [
    { name: 'two nodes', testMatch: /tests\/(signin|passkeys|sso|support-request|reset)\.spec\.ts$/ },
    { name: 'one node killed', testMatch: /cluster\/failover\.spec\.ts$/, dependencies: ['two nodes'] },
  ],
});
