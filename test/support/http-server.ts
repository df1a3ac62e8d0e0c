import {
	createServer as createHttpServer,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo, Socket} from 'node:net';

export type TestServer = {
	/** `http://127.0.0.1:<port>` (or https), no trailing slash. */
	readonly url: string;
	readonly port: number;
	/** Destroys every open socket, so keep-alive connections cannot hold the test process open. */
	close(): Promise<void>;
	/** Connections accepted since start (not only the open ones), for keep-alive assertions. */
	connections(): number;
};

export type TestServerOptions = {
	/** Serve HTTPS with this key and certificate (PEM). */
	readonly tls?: {readonly key: string; readonly cert: string};
};

/** A real loopback server on an ephemeral port, for tests that must talk HTTP rather than stub it. */
export async function startHttpServer(
	handler: (request: IncomingMessage, response: ServerResponse) => void,
	options: TestServerOptions = {},
): Promise<TestServer> {
	const server =
		options.tls === undefined
			? createHttpServer(handler)
			: createHttpsServer(options.tls, handler);
	const sockets = new Set<Socket>();
	let accepted = 0;
	server.on(
		options.tls === undefined ? 'connection' : 'secureConnection',
		(socket: Socket) => {
			accepted++;
			sockets.add(socket);
			socket.once('close', () => {
				sockets.delete(socket);
			});
		},
	);
	if (options.tls !== undefined) {
		// Failed handshakes never become secure connections but still hold sockets.
		server.on('connection', (socket: Socket) => {
			sockets.add(socket);
			socket.once('close', () => {
				sockets.delete(socket);
			});
		});
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const {port} = addressOf(server.address());
	return {
		url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
		port,
		connections: () => accepted,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

function addressOf(address: AddressInfo | string | null): AddressInfo {
	if (address === null || typeof address === 'string') {
		throw new Error(`expected a TCP address, got ${String(address)}`);
	}

	return address;
}
