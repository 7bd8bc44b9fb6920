// The browser's one amount formatter, for numbers the page recomputes as you type (the grid's totals, the plan
// form's sums, chart tooltips); anything only shown comes formatted from the server. It reads exactly as
// salesops/formatting.py amount_text: 万 to two decimals without trailing zeros in Chinese (1,234.57万, 120万),
// whole yuan in English (CNY 12,345,678), halves rounded away from zero, null as an em dash. The arithmetic is
// done on the decimal digits (BigInt), so a tie like 150 yuan → 0.02万 rounds as Python's Decimal does.
(function () {
  "use strict";

  // Returns {negative, units, scale} with |yuan| = units / scale, from a number, a BigInt or a decimal string.
  function digits(yuan) {
    const text = String(yuan).trim();
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
    if (!match || match[2] + (match[3] || "") === "") throw new RangeError("not an amount: " + text);
    const fraction = match[3] || "";
    const exponent = Number(match[4] || 0) - fraction.length;
    let units = BigInt(match[2] + fraction);
    let scale = 1n;
    if (exponent >= 0) units *= 10n ** BigInt(exponent);
    else scale = 10n ** BigInt(-exponent);
    return { negative: match[1] === "-", units, scale };
  }

  function roundHalfUp(units, divisor) {
    const quotient = units / divisor;
    return 2n * (units % divisor) >= divisor ? quotient + 1n : quotient;
  }

  function grouped(whole) {
    return whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function amount(yuan, lang) {
    if (yuan === null || yuan === undefined) return "—";
    const language = lang || document.documentElement.lang || "zh-hans";
    const { negative, units, scale } = digits(yuan);
    if (language.startsWith("zh")) {
      const hundredths = roundHalfUp(units, scale * 100n); // hundredths of 万: 100 yuan each
      const fraction = (hundredths % 100n).toString().padStart(2, "0").replace(/0+$/, "");
      const sign = negative && hundredths !== 0n ? "-" : "";
      return sign + grouped(hundredths / 100n) + (fraction ? "." + fraction : "") + "万";
    }
    const whole = roundHalfUp(units, scale);
    return "CNY " + (negative && whole !== 0n ? "-" : "") + grouped(whole);
  }

  window.SalesOps = Object.assign(window.SalesOps || {}, { amount });
}());
