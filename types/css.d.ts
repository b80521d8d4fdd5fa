/** Stylesheets the console's front end imports: esbuild bundles them into the page's app.css. */
declare module '*.css';
