import {useStdout} from 'ink';
import {useEffect, useState} from 'react';
import type {TerminalSize} from '../layout.js';

/** Columns and rows of the output terminal, updated on `resize`. A pipe has neither: assume 80x24. */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({
		columns: stdout.columns || 80,
		rows: stdout.rows || 24,
	});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => {
			setSize(read());
		};

		stdout.on('resize', onResize);
		// The size may have changed between the first render and this effect.
		onResize();
		return () => {
			stdout.off('resize', onResize);
		};
		// `read` only closes over `stdout`.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [stdout]);
	return size;
}
