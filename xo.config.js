/** Lint rules: xo's defaults with prettier, minus the rules that fight the JSX runtime, node:test and the snake_case JSON contract. */
const config = [
	{
		ignores: ['dist/**', 'node_modules/**'],
	},
	{
		prettier: true,
		semicolon: true,
		react: true,
		rules: {
			'react/react-in-jsx-scope': 'off',
			'react/jsx-uses-react': 'off',
			'react/prop-types': 'off',
			'react/require-default-props': 'off',
			'@typescript-eslint/naming-convention': 'off',
			'@typescript-eslint/no-floating-promises': 'off',
			'@typescript-eslint/no-restricted-types': 'off',
			'unicorn/no-process-exit': 'off',
			'unicorn/prevent-abbreviations': 'off',
			'unicorn/no-array-reduce': 'off',
			'unicorn/no-null': 'off',
			'no-await-in-loop': 'off',
			'n/prefer-global/process': 'off',
			'n/prefer-global/buffer': 'off',
			'capitalized-comments': 'off',
			'no-bitwise': 'off',
			complexity: 'off',
			'max-depth': 'off',
			'max-params': 'off',
			// Either flag is fine on Node 20; tsc's target and this rule disagreed on which.
			'require-unicode-regexp': 'off',
		},
	},
];

export default config;
