/** Writing large output to stdout with back-pressure, quietly stopping when the reader goes away (`| head`). */
export function createOutput(stream: NodeJS.WritableStream) {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
    else throw e;
  });
  return {
    write(s: string): Promise<void> {
      if (closed || s === '') return Promise.resolve();
      if (stream.write(s)) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('close', done);
          resolve();
        };
        stream.once('drain', done);
        stream.once('close', done);
      });
    },
    end(): Promise<void> {
      return Promise.resolve();
    },
  };
}
