// What a model's chat template can do, read from its source. Pure, so the extension host can tell
// VS Code a model's capabilities without starting the engine.

/** Whether a chat template reads the `tools` variable (Qwen2.5/Qwen3/Llama 3.2 templates do). */
export function templateTakesTools(template: string | undefined): boolean {
  return template !== undefined && /\btools\b/.test(template);
}
