// The fixed text the test tokenizer's merges are learned from: English prose, chat phrases and
// code, so common words and identifiers become single tokens. Changing it changes every model.

/** The sentence the wired demo model writes; repeated in the corpus so its words become whole tokens. */
export const DEMO_SENTENCE = "Hello! I am Hearth's built-in demo model, running on your machine with no server.";

const prose = `
The quick brown fox jumps over the lazy dog. A local model runs on your own computer, so your code and your
questions never leave the machine. A remote model runs on a server and answers over the network; it is often
larger and faster, but every request costs money and sends your data to someone else. Hearth lets you choose.
You are a helpful assistant. Answer the question as clearly as you can, and say when you are not sure.
Explain what this function does, then suggest a shorter way to write it. Why does the test fail on Windows?
How do I read a file line by line in Python? What is the difference between a process and a thread?
Sure! Here is an example. First, open the file. Then read each line and strip the newline at the end.
The editor shows the answer as it is written, token by token, and you can stop it at any time.
When the conversation grows long, the oldest messages are summarized or dropped to fit the context window.
Memory, threads and the size of the model decide how fast it writes; a smaller model answers sooner.
This is a test. This is only a test. Thank you for your patience, and have a nice day.
The weather today is sunny with a light breeze from the west, and tomorrow it will rain in the morning.
She said that the meeting was moved to Thursday at three o'clock, so we should prepare the slides tonight.
We measured the time to the first token, the number of tokens per second, and the peak memory of each run.
`;

const code = `
function add(a: number, b: number): number {
  return a + b;
}

export async function readLines(path: string): Promise<string[]> {
  const text = await fs.promises.readFile(path, 'utf8');
  return text.split('\\n').filter((line) => line.length > 0);
}

const result = items.map((item) => item.name).join(', ');
if (result === undefined || result === null) {
  throw new Error('No result: check the input and try again.');
}

class Counter {
  private count = 0;
  increment(): void {
    this.count += 1;
  }
}

def read_lines(path):
    with open(path, "r", encoding="utf-8") as f:
        return [line.rstrip("\\n") for line in f]

for i in range(10):
    print(f"value {i}: {i * i}")

import os
import sys

if __name__ == "__main__":
    main(sys.argv[1:])

SELECT id, name FROM users WHERE active = 1 ORDER BY name;
git commit -m "Fix the parser" && npm test
{"role": "user", "content": "Hello, how are you?"}
<div class="message">Hello world</div>
`;

const multilingual = `
héllo café naïve résumé über straße 世界 你好 こんにちは 안녕하세요 привет мир 🔥 🚀 ✨ 👍 😀
`;

export const TRAINING_CORPUS = [prose, code, multilingual, ...Array.from({ length: 30 }, () => ` ${DEMO_SENTENCE}\n`)].join('\n');
