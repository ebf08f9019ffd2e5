"""Reports how Django's staticfiles machinery sees the current project, as one JSON object on stdout.

Run by the Django Static Files engine with cwd = project folder and DJANGO_SETTINGS_MODULE set, as
`introspect.py [--manage path/to/manage.py]`. With --manage, the project's manage.py runs first, exactly as
`manage.py findstatic` would, so whatever it prepares (sys.path entries, environment files, django-configurations)
is in place; the moment it hands over to Django's command line, this script takes over instead. Then it calls
django.setup() and asks Django's own finders, storages, template engines and system checks. Anything printed by
project code goes to stderr: stdout carries only the JSON. Any failure becomes {"error": {...}} with exit
status 0 so the caller can report it in words.

Written for Django 3.2 through 5.x and Python 3.6+.
"""
import json
import os
import sys
import traceback

# Cap on files listed per custom finder: a finder walking a huge remote bucket must not flood the engine.
MAX_CUSTOM_FILES = 200000


def main():
    # Project code may print (settings often do) or write to fd 1 from C code: point fd 1 at stderr and keep a
    # private duplicate of the real stdout for the JSON.
    json_out = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    # `python introspect.py` puts this script's folder first on sys.path; manage.py would put the project there.
    project_dir = os.getcwd()
    if sys.path and os.path.abspath(sys.path[0] or '.') == os.path.dirname(os.path.abspath(__file__)):
        sys.path[0] = project_dir
    else:
        sys.path.insert(0, project_dir)

    args = sys.argv[1:]
    manage_py = os.path.abspath(args[1]) if len(args) >= 2 and args[0] == '--manage' else None
    if manage_py:
        result = introspect_via_manage_py(manage_py, project_dir)
    else:
        result = introspect_or_error(project_dir)
    json.dump(result, json_out, default=str)
    json_out.write('\n')
    json_out.flush()


def introspect_or_error(project_dir):
    try:
        return introspect()
    except BaseException as exc:  # noqa: B902 - settings may sys.exit() or raise anything
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {'error': describe_error(exc, project_dir)}


class _HandedOver(BaseException):
    """Unwinds manage.py once Django's command line would have started (BaseException: `except Exception` can't eat it)."""


def introspect_via_manage_py(manage_py, project_dir):
    import runpy
    try:
        from django.core import management
    except BaseException as exc:  # noqa: B902
        if isinstance(exc, KeyboardInterrupt):
            raise
        return {'error': describe_error(exc, project_dir)}

    outcome = {}

    def take_over(*_args, **_kwargs):
        outcome['result'] = introspect_or_error(project_dir)
        raise _HandedOver()

    saved = (management.execute_from_command_line, management.ManagementUtility.execute, sys.argv)
    management.execute_from_command_line = take_over
    management.ManagementUtility.execute = take_over
    sys.argv = [manage_py, 'findstatic']
    manage_error = None
    try:
        runpy.run_path(manage_py, run_name='__main__')
    except _HandedOver:
        pass
    except BaseException as exc:  # noqa: B902 - manage.py may sys.exit() or raise anything
        if isinstance(exc, KeyboardInterrupt):
            raise
        manage_error = exc
    finally:
        management.execute_from_command_line, management.ManagementUtility.execute, sys.argv = saved

    if 'result' in outcome:
        return outcome['result']
    # manage.py never handed over to Django (a custom script, or it failed first): learn without it.
    result = introspect_or_error(project_dir)
    if 'problems' in result:
        if manage_error is not None:
            message = 'manage.py failed before starting Django (%s); the project was learned without it.' % error_text(manage_error)
        else:
            message = "manage.py did not call Django's execute_from_command_line; the project was learned without it."
        result['problems'].append({'kind': 'manage-py-skipped', 'message': message})
    return result


def describe_error(exc, project_dir):
    error = {'type': type(exc).__name__, 'message': str(exc), 'traceback': traceback.format_exc()}
    location = error_location(exc, project_dir)
    if location:
        error['file'], error['line'] = location
    return error


def error_location(exc, project_dir):
    """The innermost place in the project's own files where the error arose (1-based line), if any."""
    inside = os.path.join(os.path.abspath(project_dir), '')
    if isinstance(exc, SyntaxError) and exc.filename and os.path.abspath(exc.filename).startswith(inside):
        return os.path.abspath(exc.filename), exc.lineno or 1
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        filename = os.path.abspath(frame.filename)
        if filename.startswith(inside) and filename != os.path.abspath(__file__):
            found = (filename, frame.lineno)
    return found


def error_text(exc):
    return '%s: %s' % (type(exc).__name__, exc)


def introspect():
    import django
    django.setup()

    from django.apps import apps
    from django.conf import settings

    problems = []
    # The module Django really loaded: manage.py may have overwritten DJANGO_SETTINGS_MODULE.
    settings_module = getattr(settings, 'SETTINGS_MODULE', None) or os.environ.get('DJANGO_SETTINGS_MODULE')
    result = {
        'djangoVersion': django.get_version(),
        'python': sys.executable,
        'settingsModule': settings_module,
        'settingsFiles': settings_files(settings_module),
        'staticUrl': optional_str(getattr(settings, 'STATIC_URL', None)),
        'staticRoot': absolute_or_none(getattr(settings, 'STATIC_ROOT', None)),
        'debug': bool(getattr(settings, 'DEBUG', False)),
        'staticfilesInstalled': apps.is_installed('django.contrib.staticfiles'),
        'ignorePatterns': ignore_patterns(apps),
        'problems': problems,
    }
    result.update(storage_info(settings, problems))
    result['finders'] = finders_info(settings, apps, problems)
    result['templates'] = templates_info(problems)
    result['checks'] = checks_info(problems)
    return result


def optional_str(value):
    return None if value is None else str(value)


def absolute_or_none(value):
    if not value:
        return None
    return os.path.abspath(os.fspath(value))


def ignore_patterns(apps):
    try:
        return list(apps.get_app_config('staticfiles').ignore_patterns)
    except LookupError:
        return ['CVS', '.*', '*~']


def settings_files(module_name):
    """The settings module's file and the files django-split-settings' include() ran in it, then files of
    modules it star-imports (`from .base import *`), depth first."""
    files = []
    seen = set()

    def visit(name):
        if not name or name in seen:
            return
        seen.add(name)
        module = sys.modules.get(name)
        path = getattr(module, '__file__', None)
        if not path:
            return
        files.append(os.path.abspath(path))
        included = getattr(module, '__included_files__', None)
        if isinstance(included, list):
            files.extend(os.path.abspath(f) for f in included if isinstance(f, str) and os.path.abspath(f) not in files)
        for imported in star_imports(name, path, getattr(module, '__package__', None)):
            visit(imported)

    visit(module_name)
    return files


def star_imports(module_name, path, package):
    import ast
    try:
        with open(path, 'rb') as handle:
            tree = ast.parse(handle.read(), path)
    except (OSError, SyntaxError, ValueError):
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(alias.name == '*' for alias in node.names):
            if node.level:
                base = (package or module_name.rpartition('.')[0]).split('.')
                if node.level > 1:
                    base = base[:-(node.level - 1)]
                target = '.'.join([part for part in base if part] + ([node.module] if node.module else []))
            else:
                target = node.module
            if target:
                names.append(target)
    return names


def storage_info(settings, problems):
    import django
    from django.utils.module_loading import import_string
    from django.contrib.staticfiles.storage import HashedFilesMixin

    default = 'django.contrib.staticfiles.storage.StaticFilesStorage'
    if django.VERSION >= (4, 2):
        # 4.2 folds a STATICFILES_STORAGE into STORAGES itself; 5.1 no longer reads it at all.
        storages = getattr(settings, 'STORAGES', None)
        entry = storages.get('staticfiles') if isinstance(storages, dict) else None
        backend = entry.get('BACKEND') if isinstance(entry, dict) else None
        if not isinstance(entry, dict):
            problems.append({
                'kind': 'storage-missing',
                'message': "STORAGES has no 'staticfiles' entry: collectstatic and {% static %} raise InvalidStorageError",
            })
    else:
        backend = getattr(settings, 'STATICFILES_STORAGE', None)
    backend = str(backend or default)
    manifest = False
    try:
        cls = import_string(backend)
        manifest = isinstance(cls, type) and issubclass(cls, HashedFilesMixin)
    except Exception as exc:
        problems.append({
            'kind': 'storage-unimportable',
            'message': 'The staticfiles storage %s could not be imported: %s' % (backend, error_text(exc)),
        })
    result = {'storage': backend, 'manifestStorage': manifest}
    if manifest:
        result['storageClass'] = storage_class_info(cls, HashedFilesMixin)
    return result


# Post-processing methods whose redefinition outside Django may change what collectstatic does to CSS and JS.
POST_PROCESS_METHODS = ('post_process', '_post_process', 'hashed_name', 'url_converter', 'file_hash', '_stored_name', '_url', 'url')


def storage_class_info(cls, mixin):
    overrides = []
    for name in POST_PROCESS_METHODS:
        for klass in cls.__mro__:
            if name in vars(klass):
                if not klass.__module__.startswith('django.'):
                    overrides.append('%s in %s.%s' % (name, klass.__module__, klass.__qualname__))
                break
    passes = getattr(cls, 'max_post_process_passes', 5)
    return {
        'hashes': True,
        'jsModuleImports': bool(getattr(cls, 'support_js_module_import_aggregation', False)),
        'maxPasses': passes if isinstance(passes, int) else 5,
        'customPatterns': getattr(cls, 'patterns', None) != mixin.patterns,
        'overrides': overrides,
        'mro': ['%s.%s' % (k.__module__, k.__qualname__) for k in cls.__mro__],
    }


def finders_info(settings, apps, problems):
    from django.contrib.staticfiles import finders as finders_module

    entries = []
    for class_path in settings.STATICFILES_FINDERS:
        class_path = str(class_path)
        try:
            finder = finders_module.get_finder(class_path)
        except Exception as exc:
            message = 'The finder %s could not be created: %s' % (class_path, error_text(exc))
            problems.append({'kind': 'finder-failed', 'message': message})
            entries.append({'kind': 'custom', 'className': class_path, 'files': [], 'error': message})
            continue
        if behaves_like(finder, finders_module.FileSystemFinder):
            dirs = filesystem_dirs(finder)
            entries.append({'kind': 'filesystem', 'className': class_path, 'dirs': dirs})
            problems.extend(missing_dir_problems(dirs))
        elif behaves_like(finder, finders_module.AppDirectoriesFinder):
            entries.append({'kind': 'app', 'className': class_path, 'apps': app_entries(finder, apps)})
        else:
            entries.append(custom_finder_files(class_path, finder, problems))
    return entries


def behaves_like(finder, base):
    """True for the stock finder or a subclass that keeps its find()/list() (e.g. only changes source_dir)."""
    cls = type(finder)
    if not isinstance(finder, base):
        return False
    return cls.find is base.find and cls.list is base.list


def filesystem_dirs(finder):
    dirs = []
    for prefix, root in finder.locations:
        storage = finder.storages.get(root)
        location = getattr(storage, 'location', None) or os.path.abspath(os.fspath(root))
        dirs.append({
            'prefix': str(prefix),
            'rootAsWritten': str(root),
            'root': os.path.abspath(str(location)),
            # Django keys one storage per root, so list() uses the prefix of the last entry with this root.
            'listPrefix': str(getattr(storage, 'prefix', prefix) or ''),
        })
    return dirs


def missing_dir_problems(dirs):
    """Django 4.0+ warns about missing STATICFILES_DIRS roots itself (W004); 3.x says nothing and collectstatic crashes."""
    import django
    if django.VERSION >= (4, 0):
        return []
    return [
        {
            'kind': 'static-dir-missing',
            'message': "The directory '%s' in the STATICFILES_DIRS setting does not exist; "
                       'collectstatic fails with FileNotFoundError on Django %s.' % (entry['rootAsWritten'], django.get_version()),
        }
        for entry in dirs
        if not os.path.isdir(entry['root'])
    ]


def app_entries(finder, apps):
    source_dir = getattr(finder, 'source_dir', 'static')
    entries = []
    for app_config in apps.get_app_configs():
        storage = finder.storages.get(app_config.name)
        static_dir = None
        if storage is not None:
            static_dir = os.path.abspath(str(storage.location))
        path = os.path.abspath(app_config.path) if app_config.path else None
        templates_dir = os.path.join(path, 'templates') if path else None
        entries.append({
            'name': app_config.name,
            'label': app_config.label,
            'path': path,
            'staticDir': static_dir,
            'templatesDir': templates_dir if templates_dir and os.path.isdir(templates_dir) else None,
            'sourceDir': source_dir,
        })
    return entries


def custom_finder_files(class_path, finder, problems):
    files = []
    entry = {'kind': 'custom', 'className': class_path, 'files': files}
    try:
        for path, storage in finder.list([]):
            if len(files) >= MAX_CUSTOM_FILES:
                problems.append({
                    'kind': 'custom-finder-truncated',
                    'message': 'The finder %s lists more than %d files; only the first %d are used.'
                               % (class_path, MAX_CUSTOM_FILES, MAX_CUSTOM_FILES),
                })
                break
            prefix = getattr(storage, 'prefix', None)
            destination = os.path.join(prefix, path) if prefix else path
            files.append({'path': destination.replace(os.sep, '/'), 'absPath': storage_path(storage, path)})
    except Exception as exc:
        entry['error'] = 'The finder %s failed while listing files: %s' % (class_path, error_text(exc))
        problems.append({'kind': 'finder-failed', 'message': entry['error']})
    return entry


def storage_path(storage, path):
    try:
        return os.path.abspath(storage.path(path))
    except Exception:  # remote storages raise NotImplementedError
        return None


def templates_info(problems):
    """Each TEMPLATES engine with the folders its loaders really search (their get_dirs()), asked of the built backends."""
    try:
        from django.template import engines
        configs = engines.templates
    except Exception as exc:
        problems.append({'kind': 'templates-unreadable', 'message': 'TEMPLATES could not be read: %s' % error_text(exc)})
        return []
    result = []
    for alias, config in configs.items():
        backend = str(config.get('BACKEND', ''))
        options = config.get('OPTIONS') or {}
        entry = {
            'backend': backend,
            'name': str(alias),
            'jinja': 'jinja' in backend.lower(),
            'dirs': [os.path.abspath(os.fspath(d)) for d in config.get('DIRS') or []],
            'appDirs': bool(config.get('APP_DIRS', False)),
            'builtins': [str(b) for b in options.get('builtins') or []],
        }
        try:
            engine = engines[alias]
        except Exception as exc:
            message = 'The template engine %s (%s) could not be created: %s' % (alias, backend, error_text(exc))
            problems.append({'kind': 'template-engine-failed', 'message': message})
            entry['fallbackScan'] = message
            result.append(entry)
            continue
        entry.update(engine_loaders(engine))
        result.append(entry)
    return result


def engine_loaders(backend):
    """searchDirs, loaders, unknownLoaders (and django-jinja's match) of one built template backend."""
    search_dirs, unknown, described = [], [], []
    template_engine = getattr(backend, 'engine', None)
    if template_engine is not None and hasattr(template_engine, 'template_loaders'):
        for loader in template_engine.template_loaders:
            described.append(describe_loader(loader, search_dirs, unknown))
    else:
        env = getattr(backend, 'env', None)
        loader = getattr(env, 'loader', None)
        searchpath = getattr(loader, 'searchpath', None)
        if loader is not None and type(loader).__name__ == 'FileSystemLoader' and searchpath is not None:
            search_dirs.extend(searchpath)
            described.append('jinja2.FileSystemLoader')
        else:
            name = class_name(loader) if loader is not None else class_name(backend)
            unknown.append(name)
            described.append(name)
    result = {
        'searchDirs': unique_paths(search_dirs),
        'loaders': described,
        'unknownLoaders': unknown,
    }
    if unknown:
        result['fallbackScan'] = '; '.join('the loader %s is not one of Django\'s own, so the files it loads are not known' % u for u in unknown)
    if hasattr(backend, 'match_template') and hasattr(backend, 'match_extension'):
        result['match'] = {'extension': backend.match_extension, 'regex': getattr(backend, '_match_regex', None)}
    return result


def describe_loader(loader, search_dirs, unknown):
    from django.template.loaders import cached, filesystem, locmem
    name = class_name(loader)
    short = name.replace('django.template.loaders.', '')
    if isinstance(loader, cached.Loader):
        inner = [describe_loader(l, search_dirs, unknown) for l in loader.loaders]
        return '%s(%s)' % (short, ', '.join(inner))
    if isinstance(loader, locmem.Loader):
        return short
    if isinstance(loader, filesystem.Loader) and type(loader).get_template_sources is filesystem.Loader.get_template_sources:
        # app_directories.Loader is a filesystem.Loader whose get_dirs() lists the apps' templates/.
        search_dirs.extend(loader.get_dirs())
        return short
    unknown.append(name)
    return short


def class_name(value):
    cls = type(value)
    return '%s.%s' % (cls.__module__, cls.__qualname__)


def unique_paths(paths):
    seen, out = set(), []
    for p in paths:
        p = os.path.abspath(os.fspath(p))
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def checks_info(problems):
    from django.core import checks
    try:
        messages = checks.run_checks(tags=['staticfiles'])
    except Exception as exc:
        problems.append({'kind': 'checks-failed', 'message': 'The staticfiles system checks failed: %s' % error_text(exc)})
        return []
    result = []
    for message in messages:
        if message.level >= checks.ERROR:
            level = 'error'
        elif message.level >= checks.WARNING:
            level = 'warning'
        else:
            level = 'info'
        item = {'id': message.id or '', 'level': level, 'message': str(message.msg)}
        if message.hint:
            item['hint'] = str(message.hint)
        result.append(item)
    return result


if __name__ == '__main__':
    main()
