#ifndef CLOSER_CCURL_SHIM_H
#define CLOSER_CCURL_SHIM_H

// Typed wrappers for libcurl's variadic functions, which Swift cannot call.
// One wrapper per argument type, in the manner of GRDB's GRDBSQLite/shim.h.
// See https://curl.se/libcurl/c/curl_easy_setopt.html

#include <curl/curl.h>

typedef size_t (*closer_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);
typedef int (*closer_curl_xferinfo_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                              curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode closer_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}

static inline CURLcode closer_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode closer_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode closer_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode closer_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode closer_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode closer_curl_easy_setopt_data_callback(CURL *handle, CURLoption option,
                                                             closer_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode closer_curl_easy_setopt_xferinfo_callback(CURL *handle,
                                                                 closer_curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode closer_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode closer_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode closer_curl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode closer_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// The easy handle a finished-transfer message is about.
static inline CURL *closer_curl_msg_easy_handle(const CURLMsg *message) {
    return message->easy_handle;
}

/// Whether the message says a transfer is done (the only kind libcurl sends today).
static inline int closer_curl_msg_is_done(const CURLMsg *message) {
    return message->msg == CURLMSG_DONE;
}

/// The result of a finished transfer; `data` is a union Swift cannot read safely.
static inline CURLcode closer_curl_msg_result(const CURLMsg *message) {
    return message->data.result;
}

/// The upload callback's "abort" answer, a macro Swift does not import.
static inline size_t closer_curl_readfunc_abort(void) {
    return CURL_READFUNC_ABORT;
}

#endif
