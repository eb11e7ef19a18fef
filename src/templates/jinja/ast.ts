/** The syntax tree of a template, shaped like Jinja2's nodes. */
export type Expr =
  | { kind: 'const'; value: unknown; line: number }
  | { kind: 'name'; name: string; line: number }
  | { kind: 'list' | 'tuple'; items: Expr[]; line: number }
  | { kind: 'dict'; items: [Expr, Expr][]; line: number }
  | { kind: 'getattr'; target: Expr; attr: string; line: number }
  | { kind: 'getitem'; target: Expr; key: Expr; line: number }
  | { kind: 'slice'; start?: Expr; stop?: Expr; step?: Expr; line: number }
  | { kind: 'unary'; op: '-' | '+' | 'not'; operand: Expr; line: number }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; line: number }
  | { kind: 'compare'; first: Expr; ops: [string, Expr][]; line: number }
  | { kind: 'cond'; test: Expr; then: Expr; otherwise?: Expr; line: number }
  | { kind: 'call'; target: Expr; args: CallArgs; line: number }
  | { kind: 'filter'; name: string; target?: Expr; args: CallArgs; line: number }
  | { kind: 'test'; name: string; target: Expr; args: CallArgs; negated: boolean; line: number };

export interface CallArgs {
  args: Expr[];
  kwargs: [string, Expr][];
  star?: Expr;
  starstar?: Expr;
}

export interface MacroDef {
  name: string;
  params: { name: string; default?: Expr }[];
  body: Node[];
}

export type Node =
  | { kind: 'output'; text: string; line: number }
  | { kind: 'print'; expr: Expr; line: number }
  | { kind: 'if'; test: Expr; body: Node[]; otherwise: Node[]; line: number }
  | {
      kind: 'for';
      target: Expr;
      iter: Expr;
      filter?: Expr;
      body: Node[];
      otherwise: Node[];
      recursive: boolean;
      line: number;
    }
  | { kind: 'set'; target: Expr; value: Expr; line: number }
  | { kind: 'setblock'; target: Expr; filters: Expr[]; body: Node[]; line: number }
  | { kind: 'macro'; macro: MacroDef; line: number }
  | { kind: 'callblock'; call: Expr; macro: MacroDef; line: number }
  | { kind: 'filterblock'; filters: Expr[]; body: Node[]; line: number }
  | { kind: 'with'; targets: [Expr, Expr][]; body: Node[]; line: number }
  | { kind: 'block'; name: string; body: Node[]; scoped: boolean; required: boolean; line: number }
  | { kind: 'extends'; template: Expr; line: number }
  | { kind: 'include'; template: Expr; ignoreMissing: boolean; withContext: boolean; line: number }
  | { kind: 'import'; template: Expr; target: string; withContext: boolean; line: number }
  | {
      kind: 'fromimport';
      template: Expr;
      names: [string, string][];
      withContext: boolean;
      line: number;
    }
  | { kind: 'scope'; body: Node[]; autoescape?: Expr; line: number };
