#!/usr/bin/python3
# Dumps pefile's view of PE files as JSON lines, for the differential test: one process for many files.
# Usage: pefile_dump.py < list-of-paths   (one path per line; one JSON object per line on stdout)
import hashlib
import json
import sys

import pefile


def s(b):
    """Bytes as a lossless string (one code point per byte), None kept."""
    if b is None:
        return None
    if isinstance(b, str):
        return b
    return bytes(b).decode("latin-1")


def u(b):
    """pefile's UTF-8 (backslash-replaced) strings as text."""
    if b is None:
        return None
    return bytes(b).decode("utf-8", "backslashreplace")


def imports_of(entries, image_base):
    out = []
    for d in entries or []:
        funcs = []
        for imp in d.imports:
            funcs.append({
                "name": s(imp.name),
                "ordinal": imp.ordinal,
                "byOrdinal": bool(imp.import_by_ordinal),
                "iatRva": (imp.address - image_base) if imp.address is not None else None,
            })
        out.append({"dll": s(d.dll), "functions": funcs})
    return out


def tls_callbacks(pe):
    tls = getattr(pe, "DIRECTORY_ENTRY_TLS", None)
    if not tls or not tls.struct:
        return None
    base = pe.OPTIONAL_HEADER.ImageBase
    ptr = tls.struct.AddressOfCallBacks
    out = []
    if not ptr:
        return out
    rva = ptr - base
    width = 8 if pe.PE_TYPE == pefile.OPTIONAL_HEADER_MAGIC_PE_PLUS else 4
    for _ in range(256):
        try:
            v = pe.get_qword_at_rva(rva) if width == 8 else pe.get_dword_at_rva(rva)
        except Exception:
            break
        if not v:
            break
        out.append(v)
        rva += width
    return out


def version_info(pe):
    if not hasattr(pe, "VS_VERSIONINFO"):
        return None
    tables = []
    for finfo in getattr(pe, "FileInfo", []):
        for entry in finfo:
            for st in getattr(entry, "StringTable", []) or []:
                tables.append({
                    "lang": u(st.LangID),
                    "entries": [[u(k), u(v)] for k, v in st.entries.items()],
                })
    fixed = []
    for f in getattr(pe, "VS_FIXEDFILEINFO", []):
        fixed.append({
            "signature": f.Signature, "structVersion": f.StrucVersion,
            "fileVersionMS": f.FileVersionMS, "fileVersionLS": f.FileVersionLS,
            "productVersionMS": f.ProductVersionMS, "productVersionLS": f.ProductVersionLS,
            "fileFlagsMask": f.FileFlagsMask, "fileFlags": f.FileFlags, "fileOS": f.FileOS,
            "fileType": f.FileType, "fileSubtype": f.FileSubtype,
            "fileDateMS": f.FileDateMS, "fileDateLS": f.FileDateLS,
        })
    return {"stringTables": tables, "fixed": fixed}


def debug_info(pe):
    out = []
    for d in getattr(pe, "DIRECTORY_ENTRY_DEBUG", []) or []:
        e = d.entry
        if d.struct.Type == 2 and e is not None:
            if getattr(e, "CvSignature", None) == b"RSDS":
                out.append({
                    "format": "RSDS",
                    "pdb": u(e.PdbFileName.split(b"\0", 1)[0]) if hasattr(e, "PdbFileName") else "",
                    "guid": e.Signature_String[:32],
                    "age": e.Age,
                })
            elif hasattr(e, "CvHeaderSignature"):
                out.append({
                    "format": "NB10",
                    "pdb": u(e.PdbFileName.split(b"\0", 1)[0]) if hasattr(e, "PdbFileName") else "",
                    "age": e.Age,
                })
    return out


def resources(pe):
    root = getattr(pe, "DIRECTORY_ENTRY_RESOURCE", None)
    if root is None:
        return None
    leaves = []

    def label(entry):
        return u(entry.name.string) if entry.name is not None and entry.name.string is not None else entry.id

    for t in root.entries:
        if not hasattr(t, "directory"):
            continue
        for n in t.directory.entries:
            if not hasattr(n, "directory"):
                continue
            for l in n.directory.entries:
                if hasattr(l, "data"):
                    leaves.append([label(t), label(n), label(l) if l.name is not None else l.id,
                                   l.data.struct.OffsetToData, l.data.struct.Size])
    return leaves


def words(b):
    """A reserved field's bytes as little-endian 16-bit words."""
    return [int.from_bytes(b[i:i + 2], "little") for i in range(0, len(b), 2)]


def dos_header(pe):
    h = pe.DOS_HEADER
    return {
        "magic": h.e_magic, "lastPageSize": h.e_cblp, "pageCount": h.e_cp, "relocationCount": h.e_crlc,
        "headerParagraphs": h.e_cparhdr, "minAlloc": h.e_minalloc, "maxAlloc": h.e_maxalloc,
        "ss": h.e_ss, "sp": h.e_sp, "checksum": h.e_csum, "ip": h.e_ip, "cs": h.e_cs,
        "relocationTableOffset": h.e_lfarlc, "overlayNumber": h.e_ovno, "reserved": words(h.e_res),
        "oemId": h.e_oemid, "oemInfo": h.e_oeminfo, "reserved2": words(h.e_res2), "lfanew": h.e_lfanew,
    }


def dump(path):
    out = {"file": path}
    try:
        pe = pefile.PE(path, fast_load=False)
    except Exception as e:  # pefile refuses the file
        out["error"] = str(e)
        return out
    base = pe.OPTIONAL_HEADER.ImageBase
    out["dosHeader"] = dos_header(pe)
    out["is64"] = pe.PE_TYPE == pefile.OPTIONAL_HEADER_MAGIC_PE_PLUS
    out["sections"] = [{
        "name": s(sec.Name.rstrip(b"\0")),
        "virtualAddress": sec.VirtualAddress,
        "virtualSize": sec.Misc_VirtualSize,
        "rawSize": sec.SizeOfRawData,
        "rawPointer": sec.PointerToRawData,
        "characteristics": sec.Characteristics,
        "entropy": sec.get_entropy(),
        "md5": sec.get_hash_md5(),
    } for sec in pe.sections]
    out["imports"] = imports_of(getattr(pe, "DIRECTORY_ENTRY_IMPORT", None), base)
    out["delayImports"] = imports_of(getattr(pe, "DIRECTORY_ENTRY_DELAY_IMPORT", None), base)
    out["boundImports"] = [{
        "name": s(b.name), "timeDateStamp": b.struct.TimeDateStamp,
        "forwarders": [s(r.name) for r in b.entries],
    } for b in getattr(pe, "DIRECTORY_ENTRY_BOUND_IMPORT", []) or []]
    exp = getattr(pe, "DIRECTORY_ENTRY_EXPORT", None)
    out["exports"] = None if exp is None else {
        "name": s(exp.name),
        "symbols": [{"ordinal": e.ordinal, "address": e.address, "name": s(e.name), "forwarder": s(e.forwarder)}
                    for e in exp.symbols],
    }
    try:
        out["imphash"] = pe.get_imphash()
    except Exception as e:
        out["imphash"] = None
        out["imphashError"] = str(e)
    rich = getattr(pe, "RICH_HEADER", None)
    out["rich"] = None if rich is None else {
        "checksum": rich.checksum,
        "values": rich.values,
        "hash": pe.get_rich_header_hash(),
    }
    out["version"] = version_info(pe)
    out["debug"] = debug_info(pe)
    out["tlsCallbacks"] = tls_callbacks(pe)
    out["checksum"] = {"stored": pe.OPTIONAL_HEADER.CheckSum, "computed": pe.generate_checksum()}
    out["overlayOffset"] = pe.get_overlay_data_start_offset()
    out["resources"] = resources(pe)
    lc = getattr(pe, "DIRECTORY_ENTRY_LOAD_CONFIG", None)
    out["loadConfig"] = None if lc is None else {
        "securityCookie": getattr(lc.struct, "SecurityCookie", None),
        "guardFlags": getattr(lc.struct, "GuardFlags", None),
    }
    out["entryPoint"] = pe.OPTIONAL_HEADER.AddressOfEntryPoint
    out["imageBase"] = base
    pe.close()
    return out


def main():
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        try:
            rec = dump(path)
        except Exception as e:  # a pefile crash on this file is part of its view
            rec = {"file": path, "error": "pefile crashed: %r" % (e,)}
        sys.stdout.write(json.dumps(rec) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
