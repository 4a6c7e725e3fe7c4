namespace Adaem.Reports.Html;

/// <summary>The report's stylesheet, inlined into the page so it opens from disk with nothing to fetch.</summary>
internal static class ReportStyle
{
    public const string Css = """
        :root { --ink:#1b1f24; --muted:#5b6570; --line:#d9dee4; --bg:#ffffff; --panel:#f6f8fa; --accent:#0b5cad; --warn:#9a3b00; --good:#1a6b2f; }
        * { box-sizing: border-box; }
        body { margin:0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color:var(--ink); background:var(--bg); }
        main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 26px; margin: 0 0 6px; } h2 { font-size: 21px; margin: 36px 0 8px; padding-top: 8px; border-top: 1px solid var(--line); }
        h3 { font-size: 17px; margin: 22px 0 6px; } h4 { font-size: 15px; margin: 16px 0 4px; }
        code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 13px; background: var(--panel); padding: 1px 4px; border-radius: 3px; word-break: break-all; }
        .lede { color: var(--muted); max-width: 860px; }
        nav { display:flex; flex-wrap:wrap; gap: 14px; margin: 12px 0 0; font-size: 14px; }
        nav a { color: var(--accent); text-decoration: none; } nav a:hover { text-decoration: underline; }
        .banner { margin: 14px 0; padding: 12px 16px; border: 2px solid #d08700; background: #fff6e0; border-radius: 6px; }
        figure { margin: 8px 0; } figcaption { color: var(--muted); font-size: 13px; }
        .radar svg { width: 100%; max-width: 720px; height: auto; display:block; }
        .legend { display:flex; flex-wrap:wrap; gap: 6px 16px; font-size: 14px; margin: 6px 0; }
        .legend i { display:inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
        th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { background: var(--panel); font-weight: 600; }
        table.stats th { width: 210px; font-weight: 600; } td.help { color: var(--muted); font-size: 13px; }
        tr.total td { font-weight: 600; }
        details { margin: 6px 0; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; }
        summary { cursor: pointer; }
        .question { margin: 10px 0 16px; } .question .q { font-weight: 600; margin: 4px 0; } .meta { color: var(--muted); font-size: 13px; margin: 0 0 4px; }
        table.answers { width: 100%; } table.answers td ol { margin: 0; padding-left: 18px; } table.answers tr.on td:first-child { border-left: 3px solid var(--accent); }
        .note { color: var(--muted); font-size: 14px; } .good { color: var(--good); font-weight: 600; } .warn { color: var(--warn); font-weight: 600; }
        .tag { font-size: 11px; padding: 1px 6px; border-radius: 8px; background: #fff0c8; border: 1px solid #d08700; }
        .bars { max-width: 760px; } .bar { display:grid; grid-template-columns: 260px 1fr 110px; gap: 8px; align-items:center; font-size: 14px; margin: 3px 0; }
        .bar .track { background: var(--panel); height: 12px; border-radius: 6px; overflow:hidden; } .bar .fill { display:block; height: 100%; background: var(--accent); }
        .bar .n { color: var(--muted); font-size: 13px; }
        .radars { display:flex; flex-wrap:wrap; gap: 8px 24px; } .radars figure { flex: 0 1 420px; } .radars svg { width: 100%; height: auto; display:block; }
        table.shifts tr.sig td { font-weight: 600; } table.profiles td, table.shifts td { font-variant-numeric: tabular-nums; }
        svg.chart text { font-family: system-ui, "DejaVu Sans", sans-serif; }
        footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
        """;
}
