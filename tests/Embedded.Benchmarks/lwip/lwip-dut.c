/*
 * lwip-dut: the TARGET_CONTRACT device built on Debian's liblwip (2.1.3), for side-by-side
 * benchmarks against our own stack and the Linux kernel.
 *
 *   lwip-dut --tap IFNAME --ip 192.0.2.2/24 --gateway 192.0.2.1 --mac 02:00:00:00:00:02
 *
 * Services: ICMP echo (lwIP core), UDP 7 echo, TCP 7 echo, TCP 9 discard, TCP 80 HTTP/1.1
 * (GET /, GET /bytes/N, 404, 400 + close on malformed, keep-alive, Connection: close).
 *
 * Threads: lwIP's tcpip thread (timers) and our receive thread, which reads frames from the
 * TAP into PBUF_RAM pbufs and hands them to the stack under the core lock. Everything else
 * (the raw TCP/UDP callbacks and the netif's linkoutput) runs with the core lock held.
 * We do not use lwIP's tapif: it reads 1536-byte frames into 616-byte PBUF_POOL elements.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#include "lwip/init.h"
#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip/etharp.h"
#include "netif/ethernet.h"

#define FRAME_MAX 1600          /* MTU 1500 + Ethernet header (+ VLAN tag), with room */
#define RX_BATCH 32             /* frames handed over per core-lock acquisition */
#define HTTP_HEADER_MAX 8192    /* a request head longer than this is malformed */
#define PATTERN_MOD 251

static int tap_fd = -1;
static struct netif dut_netif;
static volatile int stopping;
static uint8_t pattern[0x10000 + PATTERN_MOD]; /* byte i = i mod 251; any window of 64 KiB */

/* ---------------------------------------------------------------- the TAP netif */

static err_t tap_linkoutput(struct netif *netif, struct pbuf *p)
{
    (void)netif;
    if (p->next == NULL) {
        if (write(tap_fd, p->payload, p->len) < 0)
            return ERR_IF;
        return ERR_OK;
    }
    uint8_t frame[FRAME_MAX];
    if (p->tot_len > sizeof frame)
        return ERR_IF;
    u16_t n = pbuf_copy_partial(p, frame, p->tot_len, 0);
    if (write(tap_fd, frame, n) < 0)
        return ERR_IF;
    return ERR_OK;
}

static uint8_t dut_mac[6];

static err_t tap_netif_init(struct netif *netif)
{
    netif->name[0] = 't';
    netif->name[1] = 'p';
    netif->mtu = 1500;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(netif->hwaddr, dut_mac, ETH_HWADDR_LEN);
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    netif->output = etharp_output;
    netif->linkoutput = tap_linkoutput;
    return ERR_OK;
}

static void *rx_thread(void *arg)
{
    (void)arg;
    static uint8_t frames[RX_BATCH][FRAME_MAX];
    ssize_t lens[RX_BATCH];
    while (!stopping) {
        struct pollfd pfd = { .fd = tap_fd, .events = POLLIN };
        int r = poll(&pfd, 1, 200);
        if (r <= 0)
            continue;
        int count = 0;
        while (count < RX_BATCH) {
            ssize_t n = read(tap_fd, frames[count], FRAME_MAX);
            if (n <= 0)
                break;
            lens[count++] = n;
        }
        if (count == 0)
            continue;
        LOCK_TCPIP_CORE();
        for (int i = 0; i < count; i++) {
            struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)lens[i], PBUF_RAM);
            if (p == NULL)
                continue;
            memcpy(p->payload, frames[i], (size_t)lens[i]);
            if (dut_netif.input(p, &dut_netif) != ERR_OK)
                pbuf_free(p);
        }
        UNLOCK_TCPIP_CORE();
    }
    return NULL;
}

static int tap_open(const char *name)
{
    /* The harness creates the TAP; TUNSETIFF would silently create a new one. */
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int exists = s >= 0 && ioctl(s, SIOCGIFINDEX, &ifr) == 0;
    if (s >= 0)
        close(s);
    if (!exists) {
        fprintf(stderr, "lwip-dut: no interface named %s (create it first: ip tuntap add dev %s mode tap)\n",
                name, name);
        return -1;
    }
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        perror("open /dev/net/tun");
        return -1;
    }
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        perror("TUNSETIFF");
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* ---------------------------------------------------------------- UDP 7 echo */

static void udp_echo_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    (void)arg;
    udp_sendto(pcb, p, addr, port);
    pbuf_free(p);
}

/* ---------------------------------------------------------------- TCP connections */

enum kind { ECHO, DISCARD, HTTP };

struct conn {
    struct tcp_pcb *pcb;
    enum kind kind;
    struct pbuf *in;        /* received, not yet consumed (and not yet tcp_recved) */
    int peer_closed;        /* FIN received */
    int close_when_done;    /* close once the output in progress is written */
    /* HTTP: the response being written */
    int responding;
    char head[256];
    u16_t head_len, head_off;
    const char *body;       /* static body, or NULL for the i mod 251 pattern */
    uint64_t body_len, body_off;
    uint64_t skip;          /* request body bytes still to drop */
};

static const char index_html[] =
    "<!DOCTYPE html>\n<html><head><title>Embedded DUT (lwIP)</title></head>\n"
    "<body><h1>lwIP device under test</h1><p>Try /bytes/N.</p></body></html>\n";

static void conn_free(struct conn *c)
{
    if (c->in)
        pbuf_free(c->in);
    free(c);
}

/* Drop n received bytes and reopen the window for them. */
static void consume(struct conn *c, u16_t n)
{
    if (n == 0)
        return;
    c->in = pbuf_free_header(c->in, n);
    tcp_recved(c->pcb, n);
}

static err_t conn_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err);
static err_t conn_sent(void *arg, struct tcp_pcb *pcb, u16_t len);
static err_t conn_poll(void *arg, struct tcp_pcb *pcb);
static void conn_err(void *arg, err_t err);

/* Close gracefully; on ERR_MEM keep the state and retry from the poll callback.
 * Returns 1 when the connection is gone. */
static int conn_close(struct conn *c)
{
    struct tcp_pcb *pcb = c->pcb;
    if (c->in) {
        /* give the window back first: lwIP answers a close with unread data with a RST */
        tcp_recved(pcb, c->in->tot_len);
        pbuf_free(c->in);
        c->in = NULL;
    }
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_poll(pcb, NULL, 0);
    if (tcp_close(pcb) != ERR_OK) {
        tcp_arg(pcb, c);
        tcp_recv(pcb, conn_recv);
        tcp_sent(pcb, conn_sent);
        tcp_err(pcb, conn_err);
        tcp_poll(pcb, conn_poll, 2);
        c->close_when_done = 1;
        return 0;
    }
    free(c);
    return 1;
}

/* Echo: copy as much pending input into the send buffer as it takes. */
static void echo_flush(struct conn *c)
{
    u16_t written = 0;
    for (struct pbuf *q = c->in; q != NULL; q = q->next) {
        u16_t room = tcp_sndbuf(c->pcb);
        if (room == 0)
            break;
        u16_t n = q->len < room ? q->len : room;
        if (n == 0)
            continue;
        if (tcp_write(c->pcb, q->payload, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
            break;
        written += n;
        if (n < q->len)
            break;
    }
    consume(c, written);
    if (c->in != NULL && c->in->tot_len == 0) {
        pbuf_free(c->in);
        c->in = NULL;
    }
}

/* HTTP: write as much of the current response as the send buffer takes. */
static void http_fill(struct conn *c)
{
    while (c->responding) {
        u16_t room = tcp_sndbuf(c->pcb);
        if (room == 0)
            return;
        const void *src;
        u16_t n;
        int more;
        if (c->head_off < c->head_len) {
            n = c->head_len - c->head_off;
            if (n > room)
                n = room;
            src = c->head + c->head_off;
            more = c->head_off + n < c->head_len || c->body_len > 0;
        } else {
            uint64_t left = c->body_len - c->body_off;
            n = left < room ? (u16_t)left : room;
            src = c->body ? (const void *)(c->body + c->body_off)
                         : (const void *)(pattern + (c->body_off % PATTERN_MOD));
            more = c->body_off + n < c->body_len;
        }
        if (n > 0) {
            u8_t flags = TCP_WRITE_FLAG_COPY | (more ? TCP_WRITE_FLAG_MORE : 0);
            if (tcp_write(c->pcb, src, n, flags) != ERR_OK)
                return;     /* send queue full: resume from the sent callback */
            if (c->head_off < c->head_len)
                c->head_off += n;
            else
                c->body_off += n;
        }
        if (c->head_off == c->head_len && c->body_off == c->body_len)
            c->responding = 0;
    }
}

static void http_respond(struct conn *c, int status, const char *content_type, const char *body,
                         uint64_t body_len, int close_after)
{
    const char *reason = status == 200 ? "OK" : status == 404 ? "Not Found"
                       : status == 405 ? "Method Not Allowed" : "Bad Request";
    int n = snprintf(c->head, sizeof c->head,
                     "HTTP/1.1 %d %s\r\nServer: lwip-dut\r\nContent-Type: %s\r\n"
                     "Content-Length: %llu\r\n%s\r\n",
                     status, reason, content_type, (unsigned long long)body_len,
                     close_after ? "Connection: close\r\n" : "");
    c->head_len = (u16_t)n;
    c->head_off = 0;
    c->body = body;
    c->body_len = body_len;
    c->body_off = 0;
    c->responding = 1;
    c->close_when_done = close_after;
}

static int header_is(const char *line, size_t len, const char *name)
{
    size_t nl = strlen(name);
    return len > nl && line[nl] == ':' && strncasecmp(line, name, nl) == 0;
}

static int contains_token(const char *v, size_t len, const char *token)
{
    size_t tl = strlen(token);
    for (size_t i = 0; i + tl <= len; i++)
        if (strncasecmp(v + i, token, tl) == 0)
            return 1;
    return 0;
}

/* Parse one request head (NUL-terminated, ends with CRLF CRLF) and start its response. */
static void http_request(struct conn *c, char *req)
{
    char *line_end = strstr(req, "\r\n");
    *line_end = '\0';
    char *sp1 = strchr(req, ' ');
    char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp1 || !sp2 || sp1 == req || sp2 == sp1 + 1 || strchr(sp2 + 1, ' ') ||
        (strcmp(sp2 + 1, "HTTP/1.1") != 0 && strcmp(sp2 + 1, "HTTP/1.0") != 0)) {
        http_respond(c, 400, "text/plain", "bad request\n", 12, 1);
        return;
    }
    *sp1 = *sp2 = '\0';
    const char *method = req, *path = sp1 + 1;
    int http10 = sp2[8] == '0';
    int close_after = http10, bad = 0;
    uint64_t content_length = 0;

    for (char *line = line_end + 2; *line != '\r'; ) {
        char *end = strstr(line, "\r\n");
        size_t len = (size_t)(end - line);
        char *colon = memchr(line, ':', len);
        if (colon == NULL || colon == line) {
            bad = 1;
            break;
        }
        const char *value = colon + 1;
        size_t vlen = len - (size_t)(value - line);
        if (header_is(line, len, "connection")) {
            if (contains_token(value, vlen, "close"))
                close_after = 1;
            else if (contains_token(value, vlen, "keep-alive"))
                close_after = 0;
        } else if (header_is(line, len, "content-length")) {
            char *e;
            content_length = strtoull(value, &e, 10);
            while (e < end && (*e == ' ' || *e == '\t'))
                e++;
            if (e != end)
                bad = 1;
        } else if (header_is(line, len, "transfer-encoding")) {
            bad = 1;    /* no chunked request bodies here */
        }
        line = end + 2;
    }
    if (bad) {
        http_respond(c, 400, "text/plain", "bad request\n", 12, 1);
        return;
    }
    c->skip = content_length;
    if (c->peer_closed)
        close_after = 1;

    if (strcmp(method, "GET") != 0) {
        http_respond(c, 405, "text/plain", "method not allowed\n", 19, close_after);
    } else if (strcmp(path, "/") == 0) {
        http_respond(c, 200, "text/html", index_html, sizeof index_html - 1, close_after);
    } else if (strncmp(path, "/bytes/", 7) == 0) {
        const char *d = path + 7;
        size_t nd = strlen(d);
        uint64_t n = 0;
        int ok = nd >= 1 && nd <= 10;
        for (size_t i = 0; ok && i < nd; i++) {
            if (d[i] < '0' || d[i] > '9')
                ok = 0;
            else
                n = n * 10 + (uint64_t)(d[i] - '0');
        }
        if (ok && n <= 0x7FFFFFFFu)
            http_respond(c, 200, "application/octet-stream", NULL, n, close_after);
        else
            http_respond(c, 404, "text/plain", "not found\n", 10, close_after);
    } else {
        http_respond(c, 404, "text/plain", "not found\n", 10, close_after);
    }
}

/* Run the HTTP connection forward: finish the response in progress, then take the next
 * request from the input. Returns 1 when the connection was closed. */
static int http_run(struct conn *c)
{
    for (;;) {
        if (c->responding) {
            http_fill(c);
            if (c->responding)
                return 0;
        }
        if (c->close_when_done)
            return conn_close(c);
        if (c->skip > 0 && c->in != NULL) {
            u16_t n = c->skip < c->in->tot_len ? (u16_t)c->skip : c->in->tot_len;
            consume(c, n);
            c->skip -= n;
            continue;
        }
        if (c->skip > 0 || c->in == NULL || c->in->tot_len == 0) {
            if (c->peer_closed)
                return conn_close(c);
            return 0;
        }
        u16_t end = pbuf_memfind(c->in, "\r\n\r\n", 4, 0);
        if (end == 0xFFFF) {
            if (c->in->tot_len > HTTP_HEADER_MAX) {
                http_respond(c, 400, "text/plain", "bad request\n", 12, 1);
                continue;
            }
            if (c->peer_closed)
                return conn_close(c);
            return 0;
        }
        u16_t head = end + 4;
        if (head > HTTP_HEADER_MAX) {
            http_respond(c, 400, "text/plain", "bad request\n", 12, 1);
            continue;
        }
        char req[HTTP_HEADER_MAX + 1];
        pbuf_copy_partial(c->in, req, head, 0);
        req[head] = '\0';
        consume(c, head);
        if (memchr(req, '\0', head) != NULL)
            http_respond(c, 400, "text/plain", "bad request\n", 12, 1);
        else
            http_request(c, req);
    }
}

/* Drive the connection after any event. Returns 1 when it was closed. */
static int conn_run(struct conn *c)
{
    switch (c->kind) {
    case HTTP:
        return http_run(c);
    case ECHO:
        if (c->in)
            echo_flush(c);
        if ((c->peer_closed && c->in == NULL) || c->close_when_done)
            return conn_close(c);
        return 0;
    case DISCARD:
    default:
        if (c->in)
            consume(c, c->in->tot_len);
        if (c->peer_closed || c->close_when_done)
            return conn_close(c);
        return 0;
    }
}

static err_t conn_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct conn *c = arg;
    if (c == NULL) {
        if (p) {
            tcp_recved(pcb, p->tot_len);
            pbuf_free(p);
        }
        return ERR_OK;
    }
    if (err != ERR_OK) {
        if (p)
            pbuf_free(p);
        return ERR_OK;
    }
    if (p == NULL)
        c->peer_closed = 1;
    else if (c->in == NULL)
        c->in = p;
    else
        pbuf_cat(c->in, p);
    conn_run(c);
    return ERR_OK;
}

static err_t conn_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)pcb;
    (void)len;
    if (arg)
        conn_run(arg);
    return ERR_OK;
}

static err_t conn_poll(void *arg, struct tcp_pcb *pcb)
{
    (void)pcb;
    if (arg)
        conn_run(arg);
    return ERR_OK;
}

static void conn_err(void *arg, err_t err)
{
    (void)err;
    if (arg)
        conn_free(arg);     /* the pcb is already gone */
}

static err_t conn_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    if (err != ERR_OK || pcb == NULL)
        return ERR_VAL;
    struct conn *c = calloc(1, sizeof *c);
    if (c == NULL)
        return ERR_MEM;
    c->pcb = pcb;
    c->kind = (enum kind)(intptr_t)arg;
    tcp_arg(pcb, c);
    tcp_recv(pcb, conn_recv);
    tcp_sent(pcb, conn_sent);
    tcp_err(pcb, conn_err);
    tcp_poll(pcb, conn_poll, 2);
    tcp_nagle_disable(pcb);
    return ERR_OK;
}

static int tcp_listen_on(u16_t port, enum kind kind)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == NULL || tcp_bind(pcb, IP4_ADDR_ANY, port) != ERR_OK)
        return -1;
    pcb = tcp_listen_with_backlog(pcb, 255);
    if (pcb == NULL)
        return -1;
    tcp_arg(pcb, (void *)(intptr_t)kind);
    tcp_accept(pcb, conn_accept);
    return 0;
}

/* ---------------------------------------------------------------- start-up */

static void tcpip_ready(void *arg)
{
    sys_sem_signal((sys_sem_t *)arg);
}

static void usage(void)
{
    fprintf(stderr, "usage: lwip-dut --tap IFNAME --ip A.B.C.D/LEN --gateway A.B.C.D --mac XX:XX:XX:XX:XX:XX\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *tap = NULL, *ip = NULL, *gw = NULL, *mac = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--tap") == 0) tap = argv[++i];
        else if (strcmp(argv[i], "--ip") == 0) ip = argv[++i];
        else if (strcmp(argv[i], "--gateway") == 0) gw = argv[++i];
        else if (strcmp(argv[i], "--mac") == 0) mac = argv[++i];
        else usage();
    }
    if (!tap || !ip || !gw || !mac)
        usage();

    char ipbuf[32];
    unsigned prefix;
    if (sscanf(ip, "%31[0-9.]/%u", ipbuf, &prefix) != 2 || prefix > 32)
        usage();
    ip4_addr_t addr, mask, gateway;
    if (!ip4addr_aton(ipbuf, &addr) || !ip4addr_aton(gw, &gateway))
        usage();
    ip4_addr_set_u32(&mask, lwip_htonl(prefix ? 0xFFFFFFFFu << (32 - prefix) : 0));
    unsigned m[6];
    if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
        usage();
    for (int i = 0; i < 6; i++)
        dut_mac[i] = (uint8_t)m[i];
    for (size_t i = 0; i < sizeof pattern; i++)
        pattern[i] = (uint8_t)(i % PATTERN_MOD);

    /* Signals go to the main thread only, which waits for them below. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    tap_fd = tap_open(tap);
    if (tap_fd < 0)
        return 1;

    sys_sem_t started;
    if (sys_sem_new(&started, 0) != ERR_OK)
        return 1;
    tcpip_init(tcpip_ready, &started);
    sys_sem_wait(&started);
    sys_sem_free(&started);

    LOCK_TCPIP_CORE();
    int ok = netif_add(&dut_netif, &addr, &mask, &gateway, NULL, tap_netif_init, netif_input) != NULL;
    if (ok) {
        netif_set_default(&dut_netif);
        netif_set_up(&dut_netif);
        netif_set_link_up(&dut_netif);
        struct udp_pcb *u = udp_new_ip_type(IPADDR_TYPE_V4);
        ok = u != NULL && udp_bind(u, IP4_ADDR_ANY, 7) == ERR_OK;
        if (ok)
            udp_recv(u, udp_echo_recv, NULL);
        ok = ok && tcp_listen_on(7, ECHO) == 0 && tcp_listen_on(9, DISCARD) == 0 &&
             tcp_listen_on(80, HTTP) == 0;
    }
    UNLOCK_TCPIP_CORE();
    if (!ok) {
        fprintf(stderr, "lwip-dut: stack set-up failed\n");
        return 1;
    }

    pthread_t rx;
    if (pthread_create(&rx, NULL, rx_thread, NULL) != 0)
        return 1;

    printf("lwip-dut ready on %s: %s gw %s mac %s (lwIP %s, TCP_MSS %d, TCP_WND %d, TCP_SND_BUF %d)\n",
           tap, ip, gw, mac, LWIP_VERSION_STRING, TCP_MSS, TCP_WND, TCP_SND_BUF);
    fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    stopping = 1;
    pthread_join(rx, NULL);
    close(tap_fd);
    return 0;
}
