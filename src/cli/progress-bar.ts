/**
 * A one-line progress bar on stderr: redrawn in place on a terminal; when output is
 * piped, one line per finished view, so logs stay readable.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  return {
    update({ view, rowsDone, rowsTotal }: { view: string; rowsDone: number; rowsTotal: number }): void {
      const share = rowsTotal === 0 ? 1 : rowsDone / rowsTotal;
      const width = 30;
      const filled = Math.round(share * width);
      const line = `${view.padEnd(24)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${rowsDone.toLocaleString('en-US')}/${rowsTotal.toLocaleString('en-US')} rows`;
      if (stream.isTTY) {
        stream.write(`\r${line}`);
        if (rowsDone >= rowsTotal) stream.write('\n');
      } else if (rowsDone >= rowsTotal) {
        stream.write(`${line}\n`);
      }
    },
  };
}
