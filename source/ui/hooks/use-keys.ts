import {type Key, useInput, useStdin} from 'ink';

export type KeyCommand =
	| 'quit'
	| 'help'
	| 'pause'
	| 'slower'
	| 'faster'
	| 'window'
	| 'view'
	| 'profiler'
	| 'yes'
	| 'no'
	| 'escape'
	| 'refresh'
	| 'jump'
	| 'enter'
	| 'up'
	| 'down'
	| 'sort'
	| 'filter';

/** The command a key press means, or null for keys with no meaning here. */
export function keyCommand(input: string, key: Key): KeyCommand | null {
	if (key.ctrl && input === 'c') {
		return 'quit';
	}

	if (key.escape) {
		return 'escape';
	}

	if (key.return) {
		return 'enter';
	}

	if (key.upArrow) {
		return 'up';
	}

	if (key.downArrow) {
		return 'down';
	}

	if (key.ctrl || key.meta) {
		return null;
	}

	switch (input) {
		case 'q': {
			return 'quit';
		}

		case '?':
		case 'h': {
			return 'help';
		}

		case ' ': {
			return 'pause';
		}

		// `+` raises the interval (scrape less often); `=` is `+` without shift.
		case '+':
		case '=': {
			return 'slower';
		}

		case '-':
		case '_': {
			return 'faster';
		}

		case 'w': {
			return 'window';
		}

		case 'v': {
			return 'view';
		}

		case 'p': {
			return 'profiler';
		}

		case 'y': {
			return 'yes';
		}

		case 'n': {
			return 'no';
		}

		case 'r': {
			return 'refresh';
		}

		case ']': {
			return 'jump';
		}

		case 'k': {
			return 'up';
		}

		case 'j': {
			return 'down';
		}

		case 's': {
			return 'sort';
		}

		case 'f': {
			return 'filter';
		}

		default: {
			return null;
		}
	}
}

/**
Key presses as commands. Inactive when stdin is not a TTY: `isRawModeSupported` is then `undefined` (typed boolean),
and `useInput` would count that as active and throw "Raw mode is not supported".
*/
export function useKeys(onCommand: (command: KeyCommand) => void): void {
	const {isRawModeSupported} = useStdin();
	useInput(
		(input, key) => {
			// Keys typed faster than they are read (a slow ssh link, a paste) arrive as one string: each counts.
			const presses =
				input.length > 1 && !key.ctrl && !key.meta && !key.escape
					? [...input]
					: [input];
			for (const press of presses) {
				const command = keyCommand(press, key);
				if (command !== null) {
					onCommand(command);
				}
			}
		},
		// Typed boolean, but ink copies it from stdin.isTTY, which is undefined on a pipe.
		// eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare
		{isActive: isRawModeSupported === true},
	);
}
