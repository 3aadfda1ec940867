// The five code tasks (explain, fix, tests, doc, review) shared by the editor actions, the lightbulb,
// the @hearth chat participant and the composer's slash commands, with the prompt made for each.

export const codeTaskIds = ['explain', 'fix', 'tests', 'doc', 'review'] as const;
export type CodeTaskId = (typeof codeTaskIds)[number];

export interface CodeTask {
  /** Menu and button text. */
  readonly label: string;
  /** The slash command that asks for it, e.g. `/explain`. */
  readonly slash: string;
  /** One line for completion lists and the chat participant's command list. */
  readonly description: string;
  /** The VS Code command id of the editor action. */
  readonly command: string;
}

export const codeTasks: Readonly<Record<CodeTaskId, CodeTask>> = {
  explain: { label: 'Explain', slash: '/explain', description: 'Explain what the code does and how', command: 'hearth.explain' },
  fix: { label: 'Fix', slash: '/fix', description: 'Find and fix the problems in the code', command: 'hearth.fix' },
  tests: { label: 'Write Tests', slash: '/tests', description: 'Write unit tests for the code', command: 'hearth.writeTests' },
  doc: { label: 'Add Docs', slash: '/doc', description: 'Add documentation comments to the code', command: 'hearth.addDocs' },
  review: { label: 'Review', slash: '/review', description: 'Review the code for bugs, risks and style', command: 'hearth.review' },
};

export function isCodeTaskId(value: string): value is CodeTaskId {
  return (codeTaskIds as readonly string[]).includes(value);
}

/** The task a slash command (`/fix`, `fix`) names, if any. */
export function codeTaskFromSlash(slash: string): CodeTaskId | undefined {
  const name = slash.trim().replace(/^\//, '');
  return codeTaskIds.find((id) => id === name);
}

export interface CodeDiagnostic {
  readonly message: string;
  /** 'error', 'warning', 'information' or 'hint'. */
  readonly severity: string;
  /** 1-based line in the file. */
  readonly line: number;
  readonly source?: string;
}

export interface CodeTaskInput {
  readonly code: string;
  /** VS Code language id, e.g. `typescript`, `python`. */
  readonly languageId: string;
  readonly fileName?: string;
  readonly diagnostics?: readonly CodeDiagnostic[];
  /** What the user added in their own words, if anything. */
  readonly request?: string;
}

/** The test framework a language's projects usually use. */
const testFrameworks: Readonly<Record<string, string>> = {
  typescript: 'Vitest or Jest (whichever the project already uses; Vitest if none)',
  typescriptreact: 'Vitest or Jest with Testing Library (whichever the project already uses; Vitest if none)',
  javascript: 'Vitest or Jest (whichever the project already uses; Vitest if none)',
  javascriptreact: 'Vitest or Jest with Testing Library (whichever the project already uses; Vitest if none)',
  python: 'pytest',
  java: 'JUnit 5',
  kotlin: 'JUnit 5 (kotlin.test)',
  csharp: 'xUnit',
  fsharp: 'xUnit',
  go: "Go's testing package (table-driven tests in a _test.go file)",
  rust: 'a #[cfg(test)] module with #[test] functions',
  ruby: 'RSpec',
  php: 'PHPUnit',
  swift: 'XCTest',
  c: 'GoogleTest (or Unity for plain C projects)',
  cpp: 'GoogleTest',
  dart: 'package:test',
  elixir: 'ExUnit',
  scala: 'ScalaTest',
  shellscript: 'Bats',
  r: 'testthat',
  lua: 'busted',
};

/** How a language writes documentation comments. */
const docConventions: Readonly<Record<string, string>> = {
  typescript: 'TSDoc/JSDoc block comments (/** ... */) with @param, @returns and @throws where they apply',
  typescriptreact: 'TSDoc/JSDoc block comments (/** ... */) with @param, @returns and @throws where they apply',
  javascript: 'JSDoc block comments (/** ... */) with @param {type}, @returns {type} and @throws where they apply',
  javascriptreact: 'JSDoc block comments (/** ... */) with @param {type}, @returns {type} and @throws where they apply',
  python: 'PEP 257 docstrings (Google style: Args, Returns, Raises) as the first statement of each function and class',
  java: 'Javadoc comments (/** ... */) with @param, @return and @throws',
  kotlin: 'KDoc comments (/** ... */) with @param, @return and @throws',
  csharp: 'XML documentation comments (///) with <summary>, <param>, <returns> and <exception>',
  fsharp: 'XML documentation comments (///)',
  go: 'Go doc comments: // lines right above each declaration, starting with its name',
  rust: 'rustdoc comments (///) with # Examples, # Errors and # Panics sections where they apply',
  ruby: 'YARD comments (# lines) with @param, @return and @raise',
  php: 'PHPDoc blocks (/** ... */) with @param, @return and @throws',
  swift: 'Swift markup comments (///) with - Parameters:, - Returns: and - Throws:',
  c: 'Doxygen comments (/** ... */) with @brief, @param and @return',
  cpp: 'Doxygen comments (/** ... */ or ///) with @brief, @param and @return',
  dart: 'Dart doc comments (///)',
  elixir: '@moduledoc and @doc attributes',
  scala: 'Scaladoc comments (/** ... */) with @param and @return',
  shellscript: '# comment blocks above each function describing arguments, output and exit status',
  r: 'roxygen2 comments (#\') with @param and @return',
  lua: 'LuaLS annotations (---) with @param and @return',
};

/** The code in a markdown fence that no backtick run inside it can close early. */
export function fenceCode(code: string, languageId: string): string {
  const longest = Math.max(2, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${languageId}\n${code}\n${ticks}`;
}

function languageName(languageId: string): string {
  return languageId && languageId !== 'plaintext' ? languageId : 'plain text';
}

function where(input: Omit<CodeTaskInput, 'code'>): string {
  return input.fileName ? ` from ${input.fileName}` : '';
}

function describeDiagnostics(diagnostics: readonly CodeDiagnostic[]): string {
  return diagnostics
    .map((d) => `- line ${d.line}, ${d.severity}${d.source ? ` (${d.source})` : ''}: ${d.message.replace(/\s*\n\s*/g, ' ')}`)
    .join('\n');
}

/**
 * The instruction for a task without the code itself: what the editor actions send while the code
 * rides along as an attachment chip. `buildCodeTaskPrompt` adds the code for callers that have no chip.
 */
export function codeTaskInstruction(task: CodeTaskId, input: Omit<CodeTaskInput, 'code'>): string {
  const lang = languageName(input.languageId);
  const from = where(input);
  const diagnostics = input.diagnostics ?? [];
  const lines: string[] = [];
  switch (task) {
    case 'explain':
      lines.push(
        `Explain this ${lang} code${from}: what it does, how it works step by step, and anything surprising (edge cases, side effects, performance).`,
        'Be concise; quote only the lines you talk about.',
      );
      break;
    case 'fix':
      if (diagnostics.length > 0) {
        lines.push(`Fix this ${lang} code${from}. The editor reports these problems:`, describeDiagnostics(diagnostics));
      } else {
        lines.push(`Find and fix the bugs in this ${lang} code${from}.`);
      }
      lines.push(
        'Say in one or two sentences what was wrong, then answer with the corrected code in one fenced code block that replaces the code shown, keeping everything that did not need to change.',
      );
      break;
    case 'tests': {
      const framework = testFrameworks[input.languageId] ?? `the test framework ${lang} projects usually use`;
      lines.push(
        `Write unit tests for this ${lang} code${from} using ${framework}.`,
        'Cover the normal cases, the edge cases and the error paths. Answer with the complete test file in one fenced code block, imports included, then one line on how to run it.',
      );
      break;
    }
    case 'doc': {
      const convention = docConventions[input.languageId] ?? `the usual documentation comment style for ${lang}`;
      lines.push(
        `Add documentation comments to this ${lang} code${from}, using ${convention}.`,
        'Describe what each function, class or method does, its parameters, its return value and the errors it raises. Do not change any code. Answer with the documented code in one fenced code block.',
      );
      break;
    }
    case 'review':
      lines.push(
        `Review this ${lang} code${from} as a careful senior engineer.`,
        'List bugs first, then risks (security, error handling, concurrency, performance), then readability, each with the line it is about and a concrete suggestion. Say plainly when something is fine. Show changed code only for the points that need it.',
      );
      break;
  }
  if (diagnostics.length > 0 && task !== 'fix') lines.push('The editor reports these problems:', describeDiagnostics(diagnostics));
  const request = input.request?.trim();
  if (request) lines.push(`The user adds: ${request}`);
  return lines.join('\n');
}

/** The full prompt for a task: its instruction followed by the code in a fence. */
export function buildCodeTaskPrompt(task: CodeTaskId, input: CodeTaskInput): string {
  return `${codeTaskInstruction(task, input)}\n\n${fenceCode(input.code, input.languageId)}`;
}
