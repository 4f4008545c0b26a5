#!/usr/bin/env python3
"""Checks snare's Conan recipe without Conan (not installable here): loads it against a
minimal stand-in of the `conan` module and checks that it reads the version from
version.hpp, declares a header library with its requirements, clears its package id,
rejects non-Linux systems and names the CMake target snare::snare.

Usage: check_conanfile.py <path/to/conanfile.py> <expected version>
"""

import importlib.util
import pathlib
import sys
import types


class InvalidConfiguration(Exception):
    pass


class Settings(dict):
    def __getattr__(self, name):
        return self.get(name)

    def get_safe(self, name):
        return self.get(name)


class CppInfo:
    def __init__(self):
        self.properties = {}
        self.requires = []
        self.system_libs = []

    def set_property(self, key, value):
        self.properties[key] = value


class Info:
    def __init__(self):
        self.cleared = False

    def clear(self):
        self.cleared = True


class ConanFile:
    """The part of conan.ConanFile the recipe touches."""

    def __init__(self, recipe_folder):
        self.recipe_folder = str(recipe_folder)
        self.settings = Settings(os="Linux")
        self.info = Info()
        self.cpp_info = CppInfo()
        self.required = []
        self.version = None

    def requires(self, ref):
        self.required.append(ref)


def install_stub_conan():
    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        sys.modules[name] = m
        return m

    module("conan", ConanFile=ConanFile)
    module("conan.errors", ConanInvalidConfiguration=InvalidConfiguration)
    module("conan.tools")
    module("conan.tools.build", check_min_cppstd=lambda conanfile, std: None, can_run=lambda conanfile: True)
    module("conan.tools.files", copy=lambda *a, **k: [],
           load=lambda conanfile, path: pathlib.Path(path).read_text(encoding="utf-8"))
    module("conan.tools.layout", basic_layout=lambda conanfile, **k: None)
    module("conan.tools.cmake", CMake=object, cmake_layout=lambda conanfile, **k: None)


def main():
    recipe_path = pathlib.Path(sys.argv[1]).resolve()
    expected_version = sys.argv[2]
    install_stub_conan()
    spec = importlib.util.spec_from_file_location("snare_conanfile", recipe_path)
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    classes = [c for c in vars(recipe).values()
               if isinstance(c, type) and issubclass(c, ConanFile) and c is not ConanFile]
    failures = []

    def check(ok, what):
        print(("ok:     " if ok else "FAILED: ") + what)
        if not ok:
            failures.append(what)

    check(len(classes) == 1, "the recipe defines one ConanFile class")
    cls = classes[0]
    c = cls(recipe_path.parent)
    check(getattr(cls, "name", None) == "snare", "the package is named snare")
    check(getattr(cls, "package_type", None) == "header-library", 'package_type = "header-library"')
    check(getattr(cls, "no_copy_source", False) is True, "no_copy_source = True")
    c.set_version()
    check(c.version == expected_version, f"set_version() reads {c.version}, CMake reads {expected_version}")
    c.requirements()
    check(any(r.startswith("boost/") for r in c.required), "requires boost (hana, context)")
    check(any(r.startswith("libunwind/") for r in c.required), "requires libunwind")
    c.package_id()
    check(c.info.cleared, "package_id() clears the settings (one package for all configurations)")
    c.validate()
    c.settings = Settings(os="Windows")
    try:
        c.validate()
        check(False, "validate() rejects os=Windows")
    except InvalidConfiguration:
        check(True, "validate() rejects os=Windows")
    c.package_info()
    check(c.cpp_info.properties.get("cmake_target_name") == "snare::snare", "the CMake target is snare::snare")
    check("boost::context" in c.cpp_info.requires, "consumers link boost::context")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
