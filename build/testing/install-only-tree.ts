/**
 * A small, real, relocatable Python in python-build-standalone's install_only layout, made from the machine's own
 * interpreter for the tests: bin/python3.N (a copy of the binary), bin/python3 → python3.N (a symlink, as in the real
 * archives), and in lib/python3.N/ only the standard library modules that `-c 'import sys, json'` and
 * `-m compileall -j 0` load (asked of the interpreter itself, so any 3.9+ works). Python finds its prefix from
 * lib/python3.N/os.py next to its binary, so the copy is self-contained like a real install_only tree.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Debian's interpreter: always there in CI (.ci/run installs python3 through apt), unlike pyenv's shims. */
export const SOURCE_PYTHON = process.env.PYREPL_TEST_SOURCE_PYTHON ?? '/usr/bin/python3';

const LIST_MODULES = `
import sys, os, json, sysconfig, runpy, tempfile
empty = tempfile.mkdtemp()
for name in ('a.py', 'b.py'):  # files to compile, so that -j 0 starts its worker processes
    open(os.path.join(empty, name), 'w').write('x = 1\\n')
sys.argv = ['compileall', '-q', '-f', '-j', '2', '--invalidation-mode', 'unchecked-hash', empty]
try:
    runpy.run_module('compileall', run_name='__main__', alter_sys=True)
except SystemExit:
    pass
stdlib = sysconfig.get_paths()['stdlib']
files = sorted({os.path.realpath(m.__file__) for m in list(sys.modules.values()) if getattr(m, '__file__', None)})
print(json.dumps({'exe': os.path.realpath(sys.executable), 'stdlib': os.path.realpath(stdlib), 'version': '%d.%d' % sys.version_info[:2], 'files': files}))
`;

export interface TreeInfo {
  dir: string;
  version: string;
}

export function makeInstallOnlyTree(dir: string, python = SOURCE_PYTHON): TreeInfo {
  const listed = spawnSync(python, ['-I', '-c', LIST_MODULES], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`cannot list ${python}'s modules: ${listed.stderr}`);
  const { exe, stdlib, version, files } = JSON.parse(listed.stdout) as { exe: string; stdlib: string; version: string; files: string[] };
  const lib = join(dir, 'lib', `python${version}`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFileSync(exe, join(dir, 'bin', `python${version}`));
  symlinkSync(`python${version}`, join(dir, 'bin', 'python3'));
  for (const file of files.filter((f) => f.startsWith(stdlib + '/'))) {
    const target = join(lib, relative(stdlib, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  mkdirSync(join(lib, 'lib-dynload'), { recursive: true }); // where Python expects its extension modules
  // os.py is frozen into 3.11+'s binary, so it may not have been loaded from disk; it is the prefix landmark.
  copyFileSync(join(stdlib, 'os.py'), join(lib, 'os.py'));
  // CPython's own test suite holds files that do not compile; the precompile step must skip them as a real tree's.
  mkdirSync(join(lib, 'test'), { recursive: true });
  writeFileSync(join(lib, 'test', 'badsyntax_example.py'), 'def broken(:\n');
  return { dir: realpathSync(dir), version };
}
