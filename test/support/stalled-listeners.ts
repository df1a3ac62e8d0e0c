/**
Loopback listeners that never let a connection get anywhere, for the connect phase of the deadline.

- `startSilentListener`: accepts TCP connections and never says a byte, so a TLS handshake never completes.
- `startSynDroppingPort`: a listener whose accept queue is full, so the kernel drops further SYNs and a connect
  hangs in the TCP handshake, as behind a firewall that drops packets. Its socket lives in a worker thread whose
  event loop is blocked, so nothing ever accepts; two connections fill a backlog of 1.
*/
import {createServer, connect, type Socket} from 'node:net';
import {Worker} from 'node:worker_threads';

export type StalledListener = {
	readonly port: number;
	close(): Promise<void>;
};

export async function startSilentListener(): Promise<StalledListener> {
	const sockets = new Set<Socket>();
	const server = createServer(socket => {
		sockets.add(socket);
		socket.on('error', () => undefined);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('no port');
	}

	return {
		port: address.port,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}

const blockedListener = `
const {parentPort} = require('node:worker_threads');
const server = require('node:net').createServer();
server.listen({port: 0, host: '127.0.0.1', backlog: 1}, () => {
	parentPort.postMessage(server.address().port);
	parentPort.once('message', () => {
		Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
	});
});
`;

export async function startSynDroppingPort(): Promise<StalledListener> {
	const worker = new Worker(blockedListener, {eval: true});
	const port = await new Promise<number>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	worker.postMessage('block');
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	// Fill the accept queue until a connection no longer completes: from then on every SYN is dropped.
	const fillers: Socket[] = [];
	for (let index = 0; index < 8; index++) {
		const socket = connect(port, '127.0.0.1');
		socket.on('error', () => undefined);
		fillers.push(socket);

		const connected = await new Promise<boolean>(resolve => {
			socket.once('connect', () => {
				resolve(true);
			});
			setTimeout(() => {
				resolve(false);
			}, 300);
		});
		if (!connected) {
			break;
		}
	}

	return {
		port,
		async close() {
			for (const socket of fillers) {
				socket.destroy();
			}

			await worker.terminate();
		},
	};
}
