/** Tailwind CSS 4 through its PostCSS plugin (the /ui dashboard's styles, app/ui/ui.css). */
export default {
  plugins: { '@tailwindcss/postcss': {} },
};
