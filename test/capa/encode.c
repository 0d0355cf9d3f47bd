/* Ground truth for "XOR and RC4 data encoding": RC4 key schedule and keystream, and a repeating-key XOR. Never run. */
#include <stdio.h>
#include <string.h>

struct rc4 { unsigned char s[256]; unsigned i, j; };

void rc4_init(struct rc4 *st, const unsigned char *key, size_t keylen)
{
    for (unsigned i = 0; i < 256; i++)
        st->s[i] = (unsigned char)i;
    unsigned j = 0;
    for (unsigned i = 0; i < 256; i++) {
        j = (j + st->s[i] + key[i % keylen]) & 0xff;
        unsigned char t = st->s[i];
        st->s[i] = st->s[j];
        st->s[j] = t;
    }
    st->i = st->j = 0;
}

void rc4_crypt(struct rc4 *st, unsigned char *data, size_t len)
{
    for (size_t n = 0; n < len; n++) {
        st->i = (st->i + 1) & 0xff;
        st->j = (st->j + st->s[st->i]) & 0xff;
        unsigned char t = st->s[st->i];
        st->s[st->i] = st->s[st->j];
        st->s[st->j] = t;
        data[n] ^= st->s[(st->s[st->i] + st->s[st->j]) & 0xff];
    }
}

void xor_buffer(unsigned char *data, size_t len, const unsigned char *key, size_t keylen)
{
    for (size_t n = 0; n < len; n++)
        data[n] ^= key[n % keylen];
}

int main(int argc, char **argv)
{
    unsigned char buf[256];
    struct rc4 st;
    const char *text = argc > 1 ? argv[1] : "sample";
    size_t len = strlen(text) < sizeof(buf) ? strlen(text) : sizeof(buf);
    memcpy(buf, text, len);
    rc4_init(&st, (const unsigned char *)"key", 3);
    rc4_crypt(&st, buf, len);
    xor_buffer(buf, len, (const unsigned char *)"mask", 4);
    for (size_t n = 0; n < len; n++)
        printf("%02x", buf[n]);
    putchar('\n');
    return 0;
}
