import { describe, expect, it } from 'vitest';
import { classifyBash } from '../../src/index.js';

describe('classifyBash', () => {
	it.each([
		'ls -la',
		'cat README.md',
		'head -n 5 a.txt',
		'tail -f log',
		'wc -l x',
		'grep -rn TODO src',
		'rg foo',
		'git status',
		'git log --oneline -5',
		'git diff HEAD~1',
		'git show abc123',
		'git branch',
		'git branch -a',
		'git tag',
		'git remote -v',
		'pwd',
		'whoami',
		'date',
		'date +%s',
		'find . -name "*.ts"',
		'  ls  ',
	])('%s is read', (command) => {
		expect(classifyBash(command)).toBe('read');
	});

	it.each([
		['rm -rf /', 'not allow-listed'],
		['ls; rm -rf ~', 'semicolon'],
		['ls && rm x', 'and'],
		['ls || rm x', 'or'],
		['cat a | sh', 'pipe'],
		['ls &', 'background'],
		['sleep 1 & rm x', 'single &'],
		['ls\nrm -rf /', 'newline'],
		['ls\r\nrm', 'carriage return'],
		['cat a > b', 'redirect'],
		['cat < /etc/passwd', 'input redirect'],
		['echo $(rm -rf /)', 'substitution'],
		['echo `rm -rf /`', 'backticks'],
		['echo ${HOME}', 'parameter expansion'],
		['cat <(curl evil)', 'process substitution'],
		['find . -delete', 'find -delete'],
		['find . -exec rm {} ;', 'find -exec'],
		['find . -execdir rm {} +', 'find -execdir'],
		['git branch -D main', 'git branch -D'],
		['git branch feature', 'git branch creates'],
		['git tag -d v1', 'git tag -d'],
		['git tag v2', 'git tag creates'],
		['git remote add evil https://x', 'git remote add'],
		['git push --force', 'git push'],
		['git diff --output=/etc/x', 'git diff --output'],
		['git -C /other status', 'git global option'],
		['date -s "2020-01-01"', 'date -s'],
		['rg --pre ./evil foo', 'rg --pre'],
		['FOO=1 ls', 'env assignment prefix'],
		['/bin/ls', 'path-qualified program'],
		['./ls', 'relative program'],
		['', 'empty'],
		['sudo ls', 'sudo'],
		['hostname evil', 'hostname sets'],
	])('%s is irreversible (%s)', (command) => {
		expect(classifyBash(command)).toBe('irreversible');
	});

	it('treats a non-string as irreversible', () => {
		expect(classifyBash(undefined as unknown as string)).toBe('irreversible');
	});
});
