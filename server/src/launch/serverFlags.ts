/**
 * V8 flags for the server process. V8 sizes the heap for throughput and, with memory to spare, let the
 * server reach 200 MB while holding far less live data at 100k files; the server idles between short
 * bursts, so a heap that stays near its live size is worth a little speed: about 15% of the workspace check's
 * CPU (the young generation keeps its first size), against 181 MB rather than 247 at the end of the bench's 100k
 * session. Young-generation sizes are not an alternative: set at run time, as `django-static lsp` sets these,
 * V8 ignores them.
 * The client passes them when it starts the server; the loader also sets them itself for other clients,
 * before it compiles the bundle (a code cache is only accepted under the flags it was made with).
 */
export const SERVER_V8_FLAGS = ['--optimize-for-size'];
