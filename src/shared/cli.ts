/** placeholder, filled below */
export interface TagDocument {
  notebook: string;
  changed: boolean;
  variables: Record<string, string>;
  stages: { cell: number; stage: string }[];
  suggestions: TagSuggestion[];
  applied: TagSuggestion[];
}
export interface TagSuggestion {
  name: string;
  role: string;
  cellIndex: number;
  line: number;
  reason: string;
}
