/**
 * Lists the files inside an app.asar by reading its header, so pack:check can see what a package ships without
 * Electron (its fs reads asar archives) or @electron/asar (a dependency of electron-builder, not of ours).
 *
 * Format: UInt32 4 · UInt32 size of the header pickle · header pickle = UInt32 payload size · UInt32 string length ·
 * JSON { files: { name: { files } | { size, offset } | { link } } }.
 */
import { closeSync, openSync, readSync } from 'node:fs';

interface AsarEntry {
  files?: Record<string, AsarEntry>;
  link?: string;
}

export function asarFiles(archive: string): string[] {
  const fd = openSync(archive, 'r');
  try {
    const prefix = Buffer.alloc(8);
    readSync(fd, prefix, 0, 8, 0);
    const pickleSize = prefix.readUInt32LE(4);
    const pickle = Buffer.alloc(pickleSize);
    readSync(fd, pickle, 0, pickleSize, 8);
    const jsonLength = pickle.readUInt32LE(4);
    const header = JSON.parse(pickle.subarray(8, 8 + jsonLength).toString('utf8')) as AsarEntry;
    const out: string[] = [];
    const walk = (entry: AsarEntry, path: string): void => {
      if (!entry.files) {
        out.push(path);
        return;
      }
      for (const [name, child] of Object.entries(entry.files)) walk(child, path ? `${path}/${name}` : name);
    };
    walk(header, '');
    return out.sort();
  } finally {
    closeSync(fd);
  }
}
