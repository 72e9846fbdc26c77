/**
 * The lifecycle commands as a user runs them (part A: next-id, templates, appliances,
 * download-template, clone, create ct, set, resize, ip): the built binary against the
 * simulated cluster over real sockets, checking the state the simulator ends in, the
 * --json shapes, exit codes, lock refusals, and that bad input sends nothing.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';

const lab = useLab({ services: ['pve'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): PveSim => lab.current.sims.get('pve') as PveSim;

/** A fresh OpenSSH ed25519 public key line and the private key's PEM. */
function sshKeyPair(comment: string): { pub: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
  return { pub: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

const dir = mkdtempSync(join(tmpdir(), 'homelab-lifecycle-'));
const key = sshKeyPair('admin@hub');
const pubFile = join(dir, 'id_ed25519.pub');
const privFile = join(dir, 'id_ed25519');
writeFileSync(pubFile, `${key.pub}\n`);
writeFileSync(privFile, key.privatePem);

interface TaskRunJson { upid: string; waited: boolean; exitstatus: string | null; durationMs: number | null }

describe('homelab pve lifecycle (CLI), part A', () => {
  it('gives the next free id and lists guest and container templates', async () => {
    expect(await runCliJson<{ vmid: number }>(['pve', 'next-id'], env())).toEqual({ vmid: 108 });
    const t = await runCliJson<{ guests: { vmid: number; type: string }[]; containers: { volid: string; node: string }[] }>(['pve', 'templates'], env());
    expect(t.guests).toEqual([{ vmid: 9000, name: 'debian-13-tmpl', type: 'qemu', node: 'pve1' }]);
    expect(t.containers.filter((c) => c.node === 'pve2').map((c) => c.volid)).toEqual([
      'local:vztmpl/alpine-3.22-default_20250617_amd64.tar.xz', 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst',
    ]);
    const human = await runCli(['pve', 'templates', '--node', 'pve1'], env());
    expect(human.stdout).toMatch(/9000\s+debian-13-tmpl\s+qemu\s+pve1/);
  });

  it('lists appliances and downloads one, waiting for the task', async () => {
    const system = await runCliJson<{ template: string; section: string }[]>(['pve', 'appliances', '--section', 'system'], env());
    expect(system.map((a) => a.template)).toContain('debian-12-standard_12.12-1_amd64.tar.zst');
    expect(system.every((a) => a.section === 'system')).toBe(true);
    const dl = await runCliJson<TaskRunJson & { volid: string; node: string }>(['pve', 'download-template', 'debian-12-standard_12.12-1_amd64.tar.zst', '--node', 'pve2'], env());
    expect(dl).toMatchObject({ volid: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst', node: 'pve2', waited: true, exitstatus: 'OK' });
    expect(dl.upid).toMatch(/^UPID:pve2:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:download:debian-12-standard_12\.12-1_amd64\.tar\.zst:/);
    expect(sim().state.volumes.some((v) => v.volid === dl.volid && v.node === 'pve2')).toBe(true);
    const unknown = await runCli(['pve', 'download-template', 'nonexistent-1.0_amd64.tar.zst'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no appliance nonexistent-1.0_amd64.tar.zst');
    const noTemplates = await runCli(['pve', 'download-template', 'debian-12-standard_12.12-1_amd64.tar.zst', '--storage', 'local-lvm'], env());
    expect(noTemplates.code).toBe(2);
    expect(noTemplates.stderr).toContain('does not hold container templates');
  });

  it('clones the cloud-init template with an address, key and user, starts it, and reads its address', async () => {
    const r = await runCliJson<TaskRunJson & { newid: number; newName: string; full: boolean; cloudInit: unknown; start: TaskRunJson }>([
      'pve', 'clone', '9000', '--name', 'web1', '--ip', '10.5.0.30/24', '--gw', '10.5.0.254', '--ssh-key', pubFile, '--user', 'debian', '--start',
    ], env());
    expect(r).toMatchObject({ vmid: 9000, newid: 108, newName: 'web1', full: false, waited: true, exitstatus: 'OK' });
    expect(r.cloudInit).toEqual({ ipconfig0: 'ip=10.5.0.30/24,gw=10.5.0.254', ciuser: 'debian', sshKeys: 1 });
    expect(r.start).toMatchObject({ waited: true, exitstatus: 'OK' });
    expect(r.upid).toMatch(/:qmclone:9000:/);
    const g = sim().state.guests.get(108);
    expect(g).toMatchObject({ name: 'web1', status: 'running', template: false, node: 'pve1' });
    expect(g?.lock).toBeUndefined();
    expect(g?.config.ipconfig0).toBe('ip=10.5.0.30/24,gw=10.5.0.254');
    expect(g?.config.ciuser).toBe('debian');
    // The API wants sshkeys URL-encoded: %20 for spaces, nothing else.
    expect(g?.config.sshkeys).toBe(encodeURIComponent(key.pub));
    expect(decodeURIComponent(String(g?.config.sshkeys))).toBe(key.pub);
    expect(String(g?.config.scsi0)).toMatch(/^local-lvm:base-9000-disk-0\/vm-108-disk-0,/);
    const ip = await runCliJson<{ source: string; interfaces: { name: string; addresses: string[] }[] }>(['pve', 'ip', '108'], env());
    expect(ip.source).toBe('agent');
    expect(ip.interfaces.find((i) => i.name === 'eth0')?.addresses[0]).toBe('10.5.0.30/24');
  });

  it('refuses a private key or a missing file for --ssh-key without showing its content, and sends nothing', async () => {
    const before = sim().requests.length;
    const priv = await runCli(['pve', 'clone', '9000', '--ssh-key', privFile], env());
    expect(priv.code).toBe(2);
    expect(priv.stderr).toContain('private key');
    expect(priv.stderr).not.toContain(key.privatePem.split('\n')[1] ?? 'unreachable');
    const missing = await runCli(['pve', 'clone', '9000', '--ssh-key', join(dir, 'nope.pub')], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--ssh-key: cannot read ${join(dir, 'nope.pub')} (ENOENT)`);
    const notKey = join(dir, 'notes.txt');
    writeFileSync(notKey, 'hello world\n');
    const text = await runCli(['pve', 'create', 'ct', '--template', 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst', '--hostname', 'x1', '--ssh-key', notKey], env());
    expect(text.code).toBe(2);
    // Named as the user wrote it: the flag, not the input key (sshKey).
    expect(text.stderr).toContain('homelab: pve create ct: --ssh-key: the SSH key line 1 does not start with a public key type');
    expect(text.stderr).not.toContain('hello world');
    expect(sim().requests.length).toBe(before);
  });

  it('creates a container with a key and no password option, starts it and reads its interfaces', async () => {
    const r = await runCliJson<TaskRunJson & { vmid: number; net0: string; rootfs: string; start: TaskRunJson }>([
      'pve', 'create', 'ct', '--template', 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst', '--hostname', 'web2',
      '--ip', '10.5.0.31/24', '--gw', '10.5.0.254', '--ssh-key', pubFile, '--memory', '1024', '--disk', '10', '--start', '--node', 'pve2',
    ], env());
    expect(r).toMatchObject({ vmid: 109, node: 'pve2', rootfs: 'local-lvm:10', exitstatus: 'OK', start: { exitstatus: 'OK' } });
    expect(r.net0).toBe('name=eth0,bridge=vmbr0,firewall=1,ip=10.5.0.31/24,gw=10.5.0.254,type=veth');
    const g = sim().state.guests.get(109);
    expect(g).toMatchObject({ type: 'lxc', node: 'pve2', status: 'running', authorizedKeys: key.pub });
    expect(g?.config).toMatchObject({ hostname: 'web2', memory: 1024, unprivileged: 1, rootfs: 'local-lvm:vm-109-disk-0,size=10G' });
    const ip = await runCliJson<{ source: string; interfaces: { name: string; addresses: string[] }[] }>(['pve', 'ip', '109'], env());
    expect(ip.source).toBe('container');
    expect(ip.interfaces.find((i) => i.name === 'eth0')?.addresses).toContain('10.5.0.31/24');
    const password = await runCli(['pve', 'create', 'ct', '--template', 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst', '--hostname', 'x', '--password', 'secret1'], env());
    expect(password.code).toBe(2);
    expect(password.stderr).toContain('unknown option --password');
    expect(password.stderr).not.toContain('secret1');
  });

  it('refuses bad names, sizes, addresses, bridges, storages and volids with exit 2 before anything is sent', async () => {
    const before = sim().requests.length;
    const ct = ['pve', 'create', 'ct', '--template', 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst', '--hostname'];
    const cases: [string[], string][] = [
      [[...ct, 'bad_name!'], 'name must be a DNS name'],
      [[...ct, 'ok', '--ip', '10.5.0.300/24'], 'ip must be an IPv4 address with prefix'],
      [[...ct, 'ok', '--ip', '10.5.0.30'], 'ip must be an IPv4 address with prefix'],
      [[...ct, 'ok', '--bridge', 'vmbr0;reboot'], 'bridge must be a bridge name'],
      [[...ct, 'ok', '--storage', '-lvm'], 'needs a value'],
      [[...ct, 'ok', '--storage', 'x'], 'storage must be a storage id'],
      [[...ct, 'ok', '--ip', 'dhcp', '--gw', '10.5.0.254'], '--gw needs a static --ip'],
      [['pve', 'create', 'ct', '--template', 'debian.tar.zst', '--hostname', 'ok'], 'template must be a template volume'],
      [['pve', 'clone', '9000', '--gw', '10.5.0.254'], '--gw needs a static --ip'],
      [['pve', 'clone', '9000', '--ip', '10.5.0.40/24', '--no-wait'], 'drop --no-wait'],
      [['pve', 'resize', '201', 'scsi0', '-5G'], 'size must be like +10G'],
      [['pve', 'resize', '201', 'scsi0', '10'], 'size must be like +10G'],
      [['pve', 'resize', '201', 'sda', '+1G'], 'disk must be a disk key'],
      [['pve', 'set', '201', '--tags', 'a b'], 'tags must be a comma-separated list'],
      [['pve', 'set', '201'], 'nothing to change'],
      [['pve', 'set', '201', '--onboot', '--no-onboot'], '--onboot and --no-onboot contradict each other: give one'],
      [['pve', 'resize', '201', 'scsi0', '+999999T'], 'size must be at most 64T'],
      [['pve', 'resize', '201', 'scsi0', '65T'], 'size must be at most 64T'],
      [[...ct, 'ok', '--start', '--no-wait'], '--start needs the task to finish first; drop --no-wait'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, env());
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(sim().requests.length).toBe(before);
  });

  it('changes the config with the digest it read, and lifts protection again', async () => {
    const r = await runCliJson<{ changes: Record<string, { from: unknown; to: unknown }>; unchanged: string[] }>(['pve', 'set', '201', '--cores', '6', '--memory', '12288', '--no-onboot', '--tags', 'media,apps', '--protection'], env());
    // The tags are already those (PVE keeps them sorted): not a change, and not sent.
    expect(r.changes).toEqual({ cores: { from: 4, to: 6 }, memory: { from: '8192', to: 12288 }, onboot: { from: 1, to: 0 }, protection: { from: null, to: 1 } });
    expect(r.unchanged).toEqual(['tags']);
    const put = sim().requests.filter((q) => q.method === 'PUT' && q.path.endsWith('/qemu/201/config')).at(-1);
    const sent = new URLSearchParams(put?.body ?? '');
    expect(sent.get('digest')).toMatch(/^[0-9a-f]{40}$/);
    expect([...sent.keys()].sort()).toEqual(['cores', 'digest', 'memory', 'onboot', 'protection']);
    // The same again changes nothing: said so, exit 0, no request that writes.
    const writes = sim().requests.filter((q) => q.method !== 'GET').length;
    const again = await runCli(['pve', 'set', '201', '--cores', '6', '--no-onboot', '--protection'], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to change: VM 201 (media) already has cores, onboot, protection as given');
    expect(again.stdout).not.toMatch(/1 → 1|\bwas\b/);
    expect(sim().requests.filter((q) => q.method !== 'GET').length).toBe(writes);
    expect(sim().state.guests.get(201)?.config).toMatchObject({ cores: 6, memory: '12288', onboot: 0, protection: 1 });
    await runCliJson(['pve', 'set', '201', '--no-protection', '--name', 'media2'], env());
    expect(sim().state.guests.get(201)).toMatchObject({ name: 'media2', config: { protection: 0, name: 'media2' } });
  });

  it('grows a disk and refuses to shrink it, explaining why', async () => {
    const r = await runCliJson<TaskRunJson & { from: number; to: number }>(['pve', 'resize', '201', 'scsi0', '+16G'], env());
    expect(r).toMatchObject({ disk: 'scsi0', from: 64 * 1024 ** 3, to: 80 * 1024 ** 3, waited: true, exitstatus: 'OK' });
    expect(r.upid).toMatch(/:resize:201:/);
    expect(String(sim().state.guests.get(201)?.config.scsi0)).toContain('size=80G');
    const before = sim().requests.filter((q) => q.method !== 'GET').length;
    const shrink = await runCli(['pve', 'resize', '201', 'scsi0', '40G'], env());
    expect(shrink.code).toBe(2);
    expect(shrink.stderr).toContain('scsi0 of VM 201 (media2) is 80.0 GiB; 40G would shrink it, and disks are only grown');
    expect(shrink.stderr).toContain('PVE cannot shrink a disk without losing the data');
    const ct = await runCliJson<{ to: number }>(['pve', 'resize', '107', 'rootfs', '32G'], env());
    expect(ct.to).toBe(32 * 1024 ** 3);
    const noDisk = await runCli(['pve', 'resize', '201', 'scsi5', '+1G'], env());
    expect(noDisk.code).toBe(2);
    expect(noDisk.stderr).toContain('has no disk scsi5');
    expect(sim().requests.filter((q) => q.method !== 'GET').length).toBe(before + 1);
  });

  it('refuses changes to a guest locked by a running clone, naming the lock and the tasks that may hold it (a clone task carries its source\'s id)', async () => {
    // Both clones keep running (and locking) until released, however slow the machine.
    const release = sim().holdTasks('qmclone');
    try {
      const started = await runCliJson<TaskRunJson & { newid: number }>(['pve', 'clone', '9000', '120', '--name', 'slow', '--no-wait'], env());
      expect(started.waited).toBe(false);
      expect(sim().state.guests.get(120)?.lock).toBe('clone');
      const set = await runCli(['pve', 'set', '120', '--cores', '2'], env());
      expect(set.code).toBe(1);
      // The qmclone task's id is 9000: it cannot be tied to 120, and the message says so.
      expect(set.stderr).toContain(`homelab: VM 120 is locked (clone); no task of its own is running, but a qmclone task is on pve1, maybe that one: ${started.upid}`);
      expect(set.stderr).toContain('wait for it to finish');
      const other = await runCliJson<TaskRunJson>(['pve', 'clone', '9000', '121', '--name', 'slow2', '--no-wait'], env());
      const both = await runCli(['pve', 'set', '121', '--cores', '2'], env());
      expect(both.code).toBe(1);
      expect(both.stderr).toContain('VM 121 is locked (clone); no task of its own is running, but 2 tasks that take this lock are on pve1, one of them maybe:');
      expect(both.stderr).toContain(started.upid);
      expect(both.stderr).toContain(other.upid);
      const start = await runCli(['pve', 'start', '120'], env());
      expect(start.code).toBe(1);
      expect(start.stderr).toContain('is locked (clone)');
      expect(start.stderr).not.toMatch(/pve: .*500/);
    } finally {
      release();
    }
  });

  it('says clearly when there is no guest agent to ask, or it does not answer', async () => {
    const stopped = await runCli(['pve', 'ip', '202'], env());
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('VM 202 (win11) is not running');
    await runCliJson(['pve', 'start', '202'], env());
    const noAgent = await runCli(['pve', 'ip', '202'], env());
    expect(noAgent.code).toBe(1);
    expect(noAgent.stderr).toContain('VM 202 (win11) has no guest agent enabled');
    const ha = sim().state.guests.get(200);
    if (ha) ha.agentDown = true;
    const down = await runCli(['pve', 'ip', '200'], env());
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('the guest agent of VM 200 (homeassistant) does not answer');
    if (ha) ha.agentDown = false;
    expect((await runCli(['pve', 'ip', '200'], env())).stdout).toMatch(/eth0\s+bc:24:11:\S+\s+10\.5\.0\.20\/24/);
  });

  it('documents the new commands in --help, with <file> for --ssh-key', async () => {
    const group = await runCli(['pve', '--help'], env());
    for (const usage of ['pve next-id', 'pve templates [options]', 'pve appliances [options]', 'pve download-template <template>', 'pve clone <vmid> [newid]', 'pve create ct [vmid]', 'pve set <vmid>', 'pve resize <vmid> <disk> <size>', 'pve ip <vmid>']) {
      expect(group.stdout).toContain(usage);
    }
    const clone = await runCli(['pve', 'clone', '--help'], env());
    expect(clone.stdout).toMatch(/--ssh-key <file>\s+cloud-init SSH public key/);
    expect(clone.stdout).toContain('(changes state)');
  });

  it('checks the bridge against the node before creating, and PVE will not start a guest on a missing bridge', async () => {
    const writes = sim().requests.filter((q) => q.method !== 'GET').length;
    const r = await runCli(['pve', 'create', 'ct', '--template', 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst', '--hostname', 'web9', '--bridge', 'vmbr9', '--node', 'pve2'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('homelab: no bridge vmbr9 on pve2');
    expect(r.stderr).toContain('bridges on pve2: vmbr0');
    expect(sim().requests.some((q) => q.method === 'GET' && q.path === '/api2/json/nodes/pve2/network')).toBe(true);
    expect(sim().requests.filter((q) => q.method !== 'GET').length).toBe(writes);
    // A guest whose NIC names a bridge the node lacks (made elsewhere): its start fails in the task.
    const g = sim().state.guests.get(109);
    if (!g) throw new Error('no 109');
    await runCliJson(['pve', 'shutdown', '109'], env());
    g.config.net0 = String(g.config.net0).replace('bridge=vmbr0', 'bridge=vmbr9');
    const start = await runCli(['pve', 'start', '109'], env());
    expect(start.code).toBe(1);
    expect(start.stderr).toContain("startup for container '109' failed");
    expect(start.stderr).toContain("bridge 'vmbr9' does not exist");
    expect(g.status).toBe('stopped');
  });

  it('checks --node and --target against the cluster before anything else (exit 2, the nodes listed)', async () => {
    const writes = sim().requests.filter((q) => q.method !== 'GET').length;
    const ct = ['pve', 'create', 'ct', '--template', 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst', '--hostname', 'web9'];
    for (const args of [['pve', 'templates', '--node', 'nosuch'], ['pve', 'appliances', '--node', 'nosuch'], [...ct, '--node', 'nosuch'],
      ['pve', 'clone', '9000', '--target', 'nosuch'], ['pve', 'tasks', '--node', 'nosuch'], ['pve', 'list', '--node', 'nosuch'],
      ['pve', 'configs', '--node', 'nosuch'], ['pve', 'storage', '--node', 'nosuch'], ['pve', 'node-history', 'nosuch'], ['pve', 'migrate', '201', 'nosuch']]) {
      const r = await runCli(args, env());
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('homelab: no node nosuch in the cluster');
      expect(r.stderr, args.join(' ')).toContain('nodes: pve1, pve2');
      expect(r.stderr).not.toContain('hostname lookup failed');
    }
    expect(sim().requests.some((q) => q.path.includes('/nodes/nosuch'))).toBe(false);
    expect(sim().requests.filter((q) => q.method !== 'GET').length).toBe(writes);
  });

  it('says a template has no addresses, instead of asking to start it', async () => {
    const from = sim().requests.length;
    const r = await runCli(['pve', 'ip', '9000'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('homelab: VM 9000 (debian-13-tmpl) is a template: a template never runs, so it has no addresses');
    expect(r.stderr).not.toContain('pve start 9000');
    expect(sim().requests.slice(from).some((q) => q.path.includes('/agent/'))).toBe(false);
  });

  it('copies a linked clone to a volume of its own, and will not destroy a template its linked clones use', async () => {
    const copy = await runCliJson<TaskRunJson & { full: boolean }>(['pve', 'clone', '108', '340', '--name', 'web1-copy'], env());
    expect(copy).toMatchObject({ full: true, exitstatus: 'OK' });
    expect(String(sim().state.guests.get(340)?.config.scsi0)).toMatch(/^local-lvm:vm-340-disk-0,/);
    expect(sim().state.volumes.some((v) => v.volid === 'local-lvm:vm-340-disk-0' && v.vmid === 340)).toBe(true);
    const writes = sim().requests.filter((q) => q.method !== 'GET').length;
    // Refused before asking (no --yes needed to learn it), and again by the run.
    const preview = await runCli(['pve', 'destroy', '9000'], env());
    expect(preview.code).toBe(1);
    expect(preview.stderr).toContain('homelab: VM 9000 (debian-13-tmpl) is a template that linked clones still use (108 (web1), 120 (slow), 121 (slow2))');
    expect(preview.stderr).not.toContain('add --yes');
    const refused = await runCli(['pve', 'destroy', '9000', '--yes'], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('homelab: VM 9000 (debian-13-tmpl) is a template that linked clones still use (108 (web1), 120 (slow), 121 (slow2)): PVE will not remove its base disk');
    expect(sim().requests.filter((q) => q.method !== 'GET').length).toBe(writes);
    expect(sim().state.guests.get(9000)?.template).toBe(true);
  });

  it('fails a resize the storage has no room for, with lvextend\'s words; the disk keeps its size', async () => {
    const r = await runCli(['pve', 'resize', '202', 'scsi0', '+400G'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/resize of scsi0 of VM 202 \(win11\) failed: command '\/sbin\/lvextend -L\d+k pve\/vm-202-disk-0' failed: exit code 5/);
    expect(r.stderr).toMatch(/Insufficient free space: 102400 extents needed, but only \d+ available/);
    expect(String(sim().state.guests.get(202)?.config.scsi0)).toContain('size=80G');
  });

  it('shows --unprivileged (the default) in create ct --help, and what --no-unprivileged does', async () => {
    const help = await runCli(['pve', 'create', 'ct', '--help'], env());
    expect(help.stdout).toMatch(/^ {2}--unprivileged\s+an unprivileged container, the default \(--no-unprivileged: a privileged one\)$/m);
    expect(help.stdout).not.toMatch(/^ {2}--no-unprivileged\s/m);
  });

  it('sent nothing over the whole session that real PVE would reject for its form', () => {
    expect(sim().schemaViolations).toEqual([]);
  });
});
